// Byte helpers of the wire format: concatenation, big-endian integers, length prefixes, UTF-8,
// base64 (standard for keys in bundles, base64url without padding for ciphertexts and headers),
// and WebCrypto's SubtleCrypto for the modules that call it.
import { E2EError } from './errors.js';

export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
export const utf8 = (text: string): Bytes => encoder.encode(text) as Bytes;
// ignoreBOM keeps a leading U+FEFF: dropped, `EF BB BF 61` would be a second encoding of "a".
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// A Uint8Array keeps each value modulo 256 (ToUint8): the low byte, no `& 0xff` needed.
export const u16 = (n: number): Bytes => new Uint8Array([n >>> 8, n]);
export const u32 = (n: number): Bytes => new Uint8Array([n >>> 24, n >>> 16, n >>> 8, n]);
export const readU16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
export const readU32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** A UTF-8 string with its length as a u16 in front (ids and content types are short). */
export function lp(text: string): Bytes {
  const bytes = utf8(text);
  if (bytes.length > 0xffff) throw new E2EError('malformed', 'long string');
  return concat(u16(bytes.length), bytes);
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export const random = (n: number): Bytes => crypto.getRandomValues(new Uint8Array(n));
/** WebCrypto's SubtleCrypto, read at each call rather than when the module loads. */
export const subtle = () => globalThis.crypto.subtle;

function binary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
}

/** Standard base64 with padding: bundles' keys and signatures (canonical, as the API checks them). */
export const toBase64 = (bytes: Uint8Array): string => btoa(binary(bytes));
/** base64url without padding: `ciphertext` and envelope `header`. */
export const toBase64Url = (bytes: Uint8Array): string => toBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** Decodes base64 or base64url, with or without padding; anything else is `malformed`. */
export function fromBase64(text: string, what: string): Bytes {
  const body = text.replace(/={1,2}$/, '');
  if (!/^([A-Za-z0-9+/]*|[A-Za-z0-9_-]*)$/.test(body) || body.length % 4 === 1) throw new E2EError('malformed', what);
  return Uint8Array.from(atob(body.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** A date-time the API sent, in ms since 1970; one that does not parse is `malformed`, never NaN. */
export function serverTime(text: string, what: string): number {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new E2EError('malformed', what);
  return ms;
}
