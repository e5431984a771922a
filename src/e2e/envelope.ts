// One envelope: the message's content key K sealed to one device's signed pre-key with HPKE base
// mode. header = 01 ‖ u16 suite ‖ u32 keyId ‖ enc[32] ‖ HPKE ciphertext of K [32 + 16] (87 bytes).
// info = "coveton-e2e/v1/envelope" ‖ u16 suite; aad = the header's first 7 bytes ‖ SHA-256 of the
// message ciphertext ‖ lp(recipient deviceId): an envelope opens only for its device and its message.
import { concat, lp, readU32, u16, u32, utf8, type Bytes } from './bytes.js';
import { as, E2EError } from './errors.js';
import { checkVersion, hpke, LABEL, prelude, SUITE } from './suite.js';

export const HEADER_BYTES = 7 + 32 + 48;
export const info = () => concat(utf8(LABEL.envelope), u16(SUITE));
export const aad = (head: Uint8Array, ciphertextHash: Uint8Array, deviceId: string) => concat(head, ciphertextHash, lp(deviceId));

export interface EnvelopeRecipient {
  deviceId: string;
  keyId: number;
  /** The device's X25519 signed pre-key (public). */
  publicKey: CryptoKey;
}

export async function sealEnvelope(to: EnvelopeRecipient, ciphertextHash: Uint8Array, key: Uint8Array, ekm?: Uint8Array): Promise<Bytes> {
  const head = concat(prelude(), u32(to.keyId));
  // A pre-key HPKE cannot seal to (a low-order point, all zeros: no shared secret) is the bundle's fault.
  const sealed = await as('bad_bundle', `signed pre-key of ${to.deviceId}`, () =>
    hpke().seal({ recipientPublicKey: to.publicKey, info: info(), ...(ekm ? { ekm } : {}) }, key as Bytes, aad(head, ciphertextHash, to.deviceId)),
  );
  return concat(head, new Uint8Array(sealed.enc), new Uint8Array(sealed.ct));
}

/** The keyId an envelope names (after its version check). */
export function envelopeKeyId(header: Uint8Array): number {
  checkVersion(header, 'envelope header');
  if (header.length !== HEADER_BYTES) throw new E2EError(header.length < HEADER_BYTES ? 'truncated' : 'malformed', `envelope header is ${header.length} bytes, not ${HEADER_BYTES}`);
  return readU32(header, 3);
}

export async function openEnvelope(header: Uint8Array, recipient: CryptoKeyPair, deviceId: string, ciphertextHash: Uint8Array): Promise<Bytes> {
  envelopeKeyId(header);
  const key = await as('decrypt_failed', 'envelope', async () =>
    new Uint8Array(
      await hpke().open(
        { recipientKey: recipient, enc: header.slice(7, 39), info: info() },
        header.slice(39),
        aad(header.subarray(0, 7), ciphertextHash, deviceId),
      ),
    ),
  );
  if (key.length !== 32) throw new E2EError('malformed', 'key');
  return key;
}
