// Device keys through WebCrypto: the Ed25519 identity key and X25519 signed pre-keys, generated
// non-extractable (the private halves never reach JavaScript as bytes), and the tagged public
// encodings of the bundles (0xED or 0x05, then 32 bytes, standard base64).
import { concat, fromBase64, subtle, toBase64, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';
import { TAG_ED25519, TAG_X25519 } from './suite.js';


async function generate(name: 'Ed25519' | 'X25519', usages: KeyUsage[], store?: { writesKeyBytes?: boolean }): Promise<CryptoKeyPair> {
  try {
    return (await subtle().generateKey({ name }, store?.writesKeyBytes === true, usages)) as CryptoKeyPair;
  } catch (error) {
    throw new E2EError('unsupported_runtime', name, { cause: error });
  }
}

/** Extractable only for a `store` that writes keys out as bytes (KeyStore.writesKeyBytes). */
export const generateIdentity = (store?: { writesKeyBytes?: boolean }) => generate('Ed25519', ['sign', 'verify'], store);
export const generatePreKey = (store?: { writesKeyBytes?: boolean }) => generate('X25519', ['deriveBits'], store);

/** The raw 32 bytes of a public key (public halves are always extractable). */
export const rawPublic = async (key: CryptoKey): Promise<Bytes> => new Uint8Array(await subtle().exportKey('raw', key));

export const tagged = (tag: number, raw: Uint8Array): Bytes => concat(new Uint8Array([tag]), raw);

/** A tagged public key from a bundle: 33 bytes, the right tag; else `bad_bundle`. */
export function untag(text: string, tag: number, what: string): Bytes {
  const bytes = fromBase64(text, what);
  if (bytes.length !== 33 || bytes[0] !== tag) throw new E2EError('bad_bundle', what);
  return bytes;
}

export const importIdentity = (raw32: Uint8Array): Promise<CryptoKey> => subtle().importKey('raw', raw32 as Bytes, { name: 'Ed25519' }, true, ['verify']);
export const importPreKey = (raw32: Uint8Array): Promise<CryptoKey> => subtle().importKey('raw', raw32 as Bytes, { name: 'X25519' }, true, []);

export const sign = async (key: CryptoKey, data: Uint8Array): Promise<Bytes> => new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, data as Bytes));
export const verify = (key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> =>
  subtle().verify({ name: 'Ed25519' }, key, signature as Bytes, data as Bytes);

// A tagged key is 33 bytes, so its base64 is 44 characters with no padding.
export const encodeIdentity = (raw32: Uint8Array) => toBase64(tagged(TAG_ED25519, raw32));
export const encodePreKey = (raw32: Uint8Array) => toBase64(tagged(TAG_X25519, raw32));

// PKCS#8 prefixes of a raw 32-byte private key, for keys made from fixed seeds (test vectors).
const PKCS8 = { Ed25519: '302e020100300506032b657004220420', X25519: '302e020100300506032b656e04220420' };

/**
 * A key pair from a fixed 32-byte seed: only for test vectors, where keys must be reproducible.
 * The private key is imported non-extractable; the public key comes from its JWK form.
 */
export async function keyPairFromSeed(name: 'Ed25519' | 'X25519', seed: Uint8Array): Promise<CryptoKeyPair> {
  const der = concat(Uint8Array.from(PKCS8[name].match(/../g)!, (h) => parseInt(h, 16)), seed);
  const usages: KeyUsage[] = name === 'Ed25519' ? ['sign'] : ['deriveBits'];
  const open = await subtle().importKey('pkcs8', der, { name }, true, usages);
  const jwk = await subtle().exportKey('jwk', open);
  const publicKey = await subtle().importKey('jwk', { kty: 'OKP', crv: name, x: jwk.x! }, { name }, true, name === 'Ed25519' ? ['verify'] : []);
  const privateKey = await subtle().importKey('pkcs8', der, { name }, false, usages);
  return { publicKey, privateKey };
}
