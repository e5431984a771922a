// The `X-Coveton-Signature` scheme (API brief, "Outbound webhooks"; the same shape as Stripe's
// `Stripe-Signature`): `t=<unix seconds>,v1=<hex>`, where v1 is the hex HMAC-SHA256 of
// `"{t}.{rawBody}"` keyed with the endpoint's signing secret. Web Crypto and TextEncoder only,
// so this runs unchanged in Node 20, browsers, Deno, Bun and edge workers.
import { CovetonError } from '../errors/base.js';
import { WebhookSignatureError } from './errors.js';

/** A parsed signature header. */
export interface ParsedSignatureHeader {
  /** `t` exactly as sent: the signed string uses these characters, not a re-serialized number. */
  timestampText: string;
  /** `t` as a number of unix seconds. */
  timestamp: number;
  /** Every well-formed `v1` value, decoded from hex (32 bytes each). */
  signatures: Uint8Array[];
}

const DIGITS = /^\d+$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

function malformed(why: string): WebhookSignatureError {
  return new WebhookSignatureError(
    'malformed_header',
    `X-Coveton-Signature header is malformed: ${why}. Expected "t=<unix seconds>,v1=<64 hex digits>".`,
  );
}

/**
 * Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`. Tolerant where tolerance is harmless, as
 * Stripe's parser is: parts in any order, whitespace around parts, empty parts, repeated `v1`,
 * unknown schemes (`v0=`, a future `v2=`) ignored, ill-formed `v1` values skipped (they could
 * never match). Strict where ambiguity would matter: exactly one `t`, digits only, because the
 * signature covers one timestamp; and at least one well-formed `v1`.
 */
export function parseSignatureHeader(header: string): ParsedSignatureHeader {
  if (header.trim() === '') throw malformed('it is empty');
  let timestampText: string | undefined;
  const signatures: Uint8Array[] = [];
  for (const rawPart of header.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw malformed('a part is not of the form "key=value"');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestampText !== undefined) throw malformed('it has more than one "t" part');
      if (!DIGITS.test(value)) throw malformed('"t" is not a whole number of seconds');
      timestampText = value;
    } else if (key === 'v1' && SHA256_HEX.test(value)) {
      signatures.push(hexToBytes(value));
    }
  }
  if (timestampText === undefined) throw malformed('it has no "t" part');
  const timestamp = Number(timestampText);
  if (!Number.isSafeInteger(timestamp)) throw malformed('"t" is too large to be a unix time');
  if (signatures.length === 0) throw malformed('it has no "v1" signature of 64 hex digits');
  return { timestampText, timestamp, signatures };
}

/**
 * HMAC-SHA256 of the UTF-8 bytes of `"{t}."` followed by the raw body bytes, keyed with the
 * UTF-8 bytes of `secret`. Hashing the bytes (not a decoded string) is what makes the
 * signature survive any body encoding: the sender signed bytes, not JSON.
 */
export async function computeSignature(secret: string, timestampText: string, body: Uint8Array): Promise<Uint8Array> {
  const subtle = webCrypto();
  const key = await subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const prefix = encoder.encode(`${timestampText}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix, 0);
  signed.set(body, prefix.length);
  return new Uint8Array(await subtle.sign('HMAC', key, signed));
}

/**
 * Compares two byte arrays in time that depends only on their length, never on where they
 * first differ (API brief: "compare in constant time"), so response timing cannot be used to
 * guess a valid signature byte by byte. The length is public (always 32 for SHA-256).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lowercase hex, as Coveton sends it. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Decodes hex already checked against {@link SHA256_HEX}; either case is accepted. */
function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function webCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new CovetonError(
      'Web Crypto (globalThis.crypto.subtle) is not available in this runtime; webhook signatures need it. ' +
        'Node 20+, Deno, Bun, browsers (secure contexts) and edge workers all provide it.',
    );
  }
  return subtle;
}
