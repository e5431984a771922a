// Sealing and opening one message, given keys already resolved (no API calls here).
//   ciphertext = prefix ‖ AES-256-GCM(K, nonce, aad = prefix ‖ ctx, plaintext)
//   prefix     = 01 ‖ u16 suite ‖ msgId[16] ‖ nonce[12] ‖ kc[32]        (63 bytes, in the clear)
//   kc         = HMAC-SHA256(K, "coveton-e2e/v1/commit")                  (key commitment)
//   ctx        = "coveton-e2e/v1/ctx" ‖ lp(chatId) ‖ lp(contentType) ‖ lp(senderDeviceId)   (not sent)
//   plaintext  = u32 len ‖ inner[len] ‖ sig[64] ‖ zero padding (to a Padmé bucket, at least 256)
//   sig        = Ed25519(sender IK, "coveton-e2e/v1/sig" ‖ prefix ‖ ctx ‖ SHA-256(inner))
// Then one envelope per recipient device (envelope.ts), bound to SHA-256(ciphertext).
import { concat, equal, lp, random, readU32, subtle, u32, utf8, type Bytes } from './bytes.js';
import { openEnvelope, sealEnvelope, type EnvelopeRecipient } from './envelope.js';
import { as, E2EError } from './errors.js';
import { decodeInner, encodeInner, type Inner } from './inner.js';
import { checkVersion, LABEL, prelude } from './suite.js';

export const PREFIX_BYTES = 63;
const TAG = 16;
const SIG = 64;

export interface Context {
  chatId: string;
  contentType: string;
  senderDeviceId: string;
}

const ctxBytes = (c: Context) => concat(utf8(LABEL.ctx), lp(c.chatId), lp(c.contentType), lp(c.senderDeviceId));
export const sha256 = async (data: Uint8Array): Promise<Bytes> => new Uint8Array(await subtle().digest('SHA-256', data as Bytes));

export async function commitment(key: Uint8Array, label: string = LABEL.commit): Promise<Bytes> {
  const hmac = await subtle().importKey('raw', key as Bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', hmac, utf8(label)));
}

export const aesKey = (key: Uint8Array) => subtle().importKey('raw', key as Bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);

/** Padmé (Nikitin et al., 2019): rounds a length so that it leaks O(log log n) bits. */
export function padme(length: number): number {
  if (length < 2) return length;
  const e = Math.floor(Math.log2(length));
  const s = Math.floor(Math.log2(e)) + 1;
  const mask = 2 ** (e - s) - 1;
  return Math.ceil((length + mask) / (mask + 1)) * (mask + 1);
}

/** Fixed randomness, for the committed test vectors only. */
export interface FixedRandomness {
  key: Uint8Array;
  msgId: Uint8Array;
  nonce: Uint8Array;
  /** HPKE ephemeral key material per recipient, in the order given. */
  ekm: Uint8Array[];
}

export interface SealInput extends Context {
  inner: Inner;
  sign: (data: Bytes) => Promise<Bytes>;
  recipients: EnvelopeRecipient[];
  fixed?: FixedRandomness;
}

export interface Sealed {
  ciphertext: Bytes;
  msgId: Bytes;
  envelopes: { deviceId: string; header: Bytes }[];
}

export async function sealMessage(input: SealInput): Promise<Sealed> {
  const key = input.fixed?.key ?? random(32);
  const msgId = (input.fixed?.msgId ?? random(16)) as Bytes;
  const nonce = input.fixed?.nonce ?? random(12);
  const prefix = concat(prelude(), msgId, nonce, await commitment(key));
  const ctx = ctxBytes(input);
  const inner = encodeInner({ ...input.inner, recipients: input.recipients.map((r) => r.deviceId) });
  const sig = await input.sign(concat(utf8(LABEL.sig), prefix, ctx, await sha256(inner)));
  const used = 4 + inner.length + SIG;
  const plaintext = new Uint8Array(padme(Math.max(256, used)));
  plaintext.set(concat(u32(inner.length), inner, sig));
  const body = await subtle().encrypt({ name: 'AES-GCM', iv: nonce as Bytes, additionalData: concat(prefix, ctx) }, await aesKey(key), plaintext);
  const ciphertext = concat(prefix, new Uint8Array(body));
  const hash = await sha256(ciphertext);
  const envelopes = await Promise.all(
    input.recipients.map(async (to, i) => ({ deviceId: to.deviceId, header: await sealEnvelope(to, hash, key, input.fixed?.ekm[i]) })),
  );
  return { ciphertext, msgId, envelopes };
}

export interface OpenInput extends Context {
  ciphertext: Bytes;
  /** This device's envelope header (the caller picked it by device id). */
  header: Bytes;
  deviceId: string;
  /** This device's pre-key pair that the envelope names. */
  preKey: CryptoKeyPair;
  /** Checks the sender device's signature. */
  verify: (signature: Bytes, data: Bytes) => Promise<boolean>;
}

export interface Opened {
  msgId: Bytes;
  inner: Inner;
}

export async function openMessage(input: OpenInput): Promise<Opened> {
  const { ciphertext } = input;
  checkVersion(ciphertext, 'ciphertext');
  if (ciphertext.length < PREFIX_BYTES + TAG + 256) throw new E2EError('truncated', 'ciphertext');
  const prefix = ciphertext.subarray(0, PREFIX_BYTES);
  const msgId = prefix.slice(3, 19);
  const key = await openEnvelope(input.header, input.preKey, input.deviceId, await sha256(ciphertext));
  if (!equal(await commitment(key), prefix.subarray(31, 63))) throw new E2EError('key_commitment', 'message');
  const ctx = ctxBytes(input);
  const plaintext = new Uint8Array(
    await as('decrypt_failed', 'body', async () =>
      subtle().decrypt(
        { name: 'AES-GCM', iv: prefix.slice(19, 31), additionalData: concat(prefix, ctx) },
        await aesKey(key),
        ciphertext.subarray(PREFIX_BYTES),
      ),
    ),
  );
  const length = readU32(plaintext, 0);
  if (4 + length + SIG > plaintext.length) throw new E2EError('malformed', 'inner');
  const inner = plaintext.subarray(4, 4 + length);
  const sig = plaintext.slice(4 + length, 4 + length + SIG);
  if (plaintext.subarray(4 + length + SIG).some((b) => b !== 0)) throw new E2EError('malformed', 'padding');
  if (!(await input.verify(sig, concat(utf8(LABEL.sig), prefix, ctx, await sha256(inner))))) {
    throw new E2EError('bad_signature', input.senderDeviceId);
  }
  const decoded = decodeInner(inner);
  if (!decoded.recipients.includes(input.deviceId)) throw new E2EError('not_for_this_device', 'not addressed');
  return { msgId, inner: decoded };
}
