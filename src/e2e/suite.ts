// Wire format v1, suite 0x0001: the constants every other file names, and the one HPKE suite.
// Envelopes: HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (RFC 9180).
// Bodies and file segments: AES-256-GCM. Signatures: Ed25519. Hashes: SHA-256.
// The package build takes these four classes from hpke-js's own modules (hpkeModules in
// tsup.config.ts): another import from @hpke/core needs its module listed there.
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { concat, readU16, u16 } from './bytes.js';
import { E2EError } from './errors.js';

export const VERSION = 0x01;
export const SUITE = 0x0001;
/** Tag bytes in front of public keys in bundles: the algorithm is named by the key itself. */
export const TAG_ED25519 = 0xed;
export const TAG_X25519 = 0x05;

export const LABEL = {
  spk: 'coveton-e2e/v1/spk',
  ctx: 'coveton-e2e/v1/ctx',
  sig: 'coveton-e2e/v1/sig',
  commit: 'coveton-e2e/v1/commit',
  envelope: 'coveton-e2e/v1/envelope',
  file: 'coveton-e2e/v1/file-commit',
} as const;

/** The version byte and suite id that start every ciphertext, envelope header and file header. */
export const prelude = () => concat(new Uint8Array([VERSION]), u16(SUITE));

/** Refuses anything but version 1, suite 1: a downgrade or an unknown suite is never guessed at. */
export function checkVersion(bytes: Uint8Array, what: string): void {
  if (bytes.length < 3) throw new E2EError('truncated', what);
  if (bytes[0] !== VERSION || readU16(bytes, 1) !== SUITE) {
    throw new E2EError('unsupported_version', `${what} ${bytes[0]}/${readU16(bytes, 1)}`);
  }
}

let suite: CipherSuite | undefined;
/** The HPKE suite of the envelopes (built once, on first use). */
export const hpke = (): CipherSuite =>
  (suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() }));
