// The public half of a device's key bundle in wire suite 1 (spec/components/schemas/Device.yaml):
// the identity key is 0xED followed by a 32-byte Ed25519 public key, the signed pre-key 0x05
// followed by a 32-byte X25519 public key, both standard base64, and the signature is Ed25519 by
// the identity key over "coveton-e2e/v1/spk" || u32 big-endian keyId || the 33 tagged pre-key
// bytes. The mock verifies bundles with it (registration, rotation); the CLI and the example
// generator (scripts/e2e/bundles.mjs) make real ones. Node only (node:crypto).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const IDENTITY_KEY_TAG = 0xed;
export const PRE_KEY_TAG = 0x05;
export const SIGNED_PRE_KEY_LABEL = 'coveton-e2e/v1/spk';

export interface SignedPreKeyBundle {
  keyId: number;
  publicKey: string;
  signature: string;
}

export interface DeviceKeyBundle {
  identityKey: string;
  signedPreKey: SignedPreKeyBundle;
}

// DER prefixes of a raw 32-byte key: PKCS#8 private keys from a seed, SPKI public keys.
const PKCS8 = { ed25519: '302e020100300506032b657004220420', x25519: '302e020100300506032b656e04220420' };
const SPKI = { ed25519: '302a300506032b6570032100', x25519: '302a300506032b656e032100' };

const privateFromSeed = (kind: keyof typeof PKCS8, seed: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([Buffer.from(PKCS8[kind], 'hex'), seed]), format: 'der', type: 'pkcs8' });

const rawPublic = (key: KeyObject): Buffer => Buffer.from(createPublicKey(key).export({ format: 'der', type: 'spki' })).subarray(-32);

const tagged = (tag: number, raw: Uint8Array) => Buffer.concat([Buffer.from([tag]), raw]);

/** The bytes a signed pre-key's signature covers. */
export function signedPreKeyMessage(keyId: number, taggedPreKey: Uint8Array): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return Buffer.concat([Buffer.from(SIGNED_PRE_KEY_LABEL, 'ascii'), id, taggedPreKey]);
}

function decode(text: string, bytes: number, tag: number | undefined, what: string): Buffer | string {
  const raw = Buffer.from(text, 'base64');
  if (raw.toString('base64') !== text) return `${what} is not canonical standard base64`;
  if (raw.length !== bytes) return `${what} must be ${bytes} bytes, not ${raw.length}`;
  if (tag !== undefined && raw[0] !== tag) return `${what} must start with the tag byte 0x${tag.toString(16)}, not 0x${raw[0]!.toString(16).padStart(2, '0')}`;
  return raw;
}

/** Why a signed pre-key does not verify under an identity key (undefined when it does). */
export function signedPreKeyProblem(identityKey: string, spk: SignedPreKeyBundle): string | undefined {
  const ik = decode(identityKey, 33, IDENTITY_KEY_TAG, 'identityKey');
  if (typeof ik === 'string') return ik;
  const pk = decode(spk.publicKey, 33, PRE_KEY_TAG, 'signedPreKey.publicKey');
  if (typeof pk === 'string') return pk;
  const sig = decode(spk.signature, 64, undefined, 'signedPreKey.signature');
  if (typeof sig === 'string') return sig;
  let ok = false;
  try {
    const key = createPublicKey({ key: Buffer.concat([Buffer.from(SPKI.ed25519, 'hex'), ik.subarray(1)]), format: 'der', type: 'spki' });
    ok = verify(null, signedPreKeyMessage(spk.keyId, pk), key, sig);
  } catch {
    return 'identityKey is not an Ed25519 public key';
  }
  return ok ? undefined : `signedPreKey.signature does not verify: it must be the identity key's Ed25519 signature over "${SIGNED_PRE_KEY_LABEL}" || u32 keyId || signedPreKey.publicKey`;
}

/** A signed pre-key for an identity key: from a 32-byte seed, or random without one. */
export function signPreKey(identity: KeyObject, keyId: number, preKeySeed?: Uint8Array): SignedPreKeyBundle {
  const preKey = preKeySeed ? privateFromSeed('x25519', preKeySeed) : generateKeyPairSync('x25519').privateKey;
  const publicKey = tagged(PRE_KEY_TAG, rawPublic(preKey));
  return { keyId, publicKey: publicKey.toString('base64'), signature: sign(null, signedPreKeyMessage(keyId, publicKey), identity).toString('base64') };
}

/** An Ed25519 identity key pair: from a 32-byte seed, or random without one. */
export function identityKeyPair(seed?: Uint8Array): { privateKey: KeyObject; identityKey: string } {
  const privateKey = seed ? privateFromSeed('ed25519', seed) : generateKeyPairSync('ed25519').privateKey;
  return { privateKey, identityKey: tagged(IDENTITY_KEY_TAG, rawPublic(privateKey)).toString('base64') };
}

/** A real bundle whose keys come from `label` (the same label, the same keys), or random keys. */
export function deviceKeyBundle(label?: string, keyId = 1): DeviceKeyBundle {
  const seed = (part: string) => (label === undefined ? undefined : createHash('sha256').update(`coveton-e2e example/${label}/${part}`).digest());
  const { privateKey, identityKey } = identityKeyPair(seed('identity'));
  return { identityKey, signedPreKey: signPreKey(privateKey, keyId, seed(`spk/${keyId}`)) };
}
