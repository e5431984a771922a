// Input checks shared by verify and sign: the raw body and the signing secrets. Both fail with a
// WebhookSignatureError whose reason names the caller's mistake (`body_not_raw`, `no_secret`),
// distinct from a bad delivery, so the caller can tell a bug in their code from an attack.
import { WebhookSignatureError } from './errors.js';

/**
 * The raw request body, exactly as received: a string, or bytes. A Node `Buffer` is a
 * `Uint8Array` and is accepted as is.
 */
export type WebhookPayload = string | Uint8Array | ArrayBuffer;

/** One signing secret, or several while a secret is being rotated (any one may match). */
export type WebhookSecrets = string | readonly string[];

// Made when the module loads through calls marked pure, here and in events.ts and signature.ts:
// the e2e entry takes CovetonError through this entry, and its bundle drops what it never uses.
const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * The body's bytes. Signatures cover bytes (API brief: HMAC of `"{t}.{rawBody}"`), so a body
 * that was parsed and re-serialized no longer matches; we refuse a parsed object outright
 * instead of guessing its serialization (Stripe's `constructEvent` does the same).
 *
 * The checks read the engine's internal slots (brand checks), not `instanceof`, so bytes made in
 * another realm (a worker, an iframe, a vm context) are still recognized, and an object merely
 * claiming to be bytes (a forged `Symbol.toStringTag`) is not.
 */
export function payloadBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return encoder.encode(payload);
  if (typedArrayName(payload) === 'Uint8Array') return payload as Uint8Array;
  if (isArrayBuffer(payload)) return new Uint8Array(payload);
  throw new WebhookSignatureError('body_not_raw', `The payload must be the raw request body, ${describe(payload)}.`);
}

const BOM = [0xef, 0xbb, 0xbf];

const startsWithBom = (body: Uint8Array) => body.length >= 3 && body[0] === BOM[0] && body[1] === BOM[1] && body[2] === BOM[2];

/**
 * The bodies a signature may cover: the bytes as given, and the same bytes with one leading
 * UTF-8 byte-order mark removed or added. A BOM carries no content, and the way a body reaches
 * the caller decides whether it survives: `await request.text()` (WHATWG UTF-8 decode) drops it,
 * `arrayBuffer()` and Node's raw body keep it. Accepting both spellings makes a string and a
 * byte body of the same delivery verify alike; nothing else about the body may differ (a
 * second mark is content).
 */
export function bomVariants(body: Uint8Array): Uint8Array[] {
  if (startsWithBom(body)) return startsWithBom(body.subarray(3)) ? [body] : [body, body.subarray(3)];
  const withBom = new Uint8Array(body.length + 3);
  withBom.set(BOM, 0);
  withBom.set(body, 3);
  return [body, withBom];
}

/**
 * The usable secrets. Empty strings and non-strings in a list are skipped, so a rotation list
 * built from environment variables (`[process.env.NEW, process.env.OLD]`) keeps working once the
 * old one is unset; if nothing usable remains, `no_secret`. Web Crypto refuses zero-length HMAC
 * keys anyway, and an empty key would be a guessable one.
 */
export function usableSecrets(secrets: unknown): string[] {
  const list: unknown[] = Array.isArray(secrets) ? secrets : [secrets];
  const usable = list.filter((s): s is string => typeof s === 'string' && s !== '');
  if (usable.length === 0) {
    throw new WebhookSignatureError(
      'no_secret',
      'No webhook signing secret was given (expected a non-empty string, or a non-empty list of them). ' +
        "Use the endpoint's signing secret from the Coveton dashboard.",
    );
  }
  return usable;
}

// A getter of `type.prototype`, read inside the call: `X.prototype` at the call site, or `.get`
// read from its result, would be work a bundler must keep, and with it an unused call.
const getterOf = (type: { prototype: object }, key: PropertyKey) => Object.getOwnPropertyDescriptor(type.prototype, key)?.get;
// %TypedArray%.prototype[Symbol.toStringTag] is a getter that returns the internal type name of a
// real typed array (any realm) and undefined for anything else.
const typedArrayTag = /* @__PURE__ */ getterOf(/* @__PURE__ */ Object.getPrototypeOf(Uint8Array), Symbol.toStringTag) as ((this: unknown) => string | undefined) | undefined;

function typedArrayName(value: unknown): string | undefined {
  return typedArrayTag?.call(value);
}

// The ArrayBuffer.prototype.byteLength getter throws unless `value` is a real (non-shared) ArrayBuffer.
const byteLengthOf = /* @__PURE__ */ getterOf(ArrayBuffer, 'byteLength');

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  if (typeof value !== 'object' || value === null || !byteLengthOf) return false;
  try {
    byteLengthOf.call(value);
    return true;
  } catch {
    return false;
  }
}

function tagOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Says what was passed instead, without echoing the value itself (it may hold anything). */
function describe(value: unknown): string {
  const rawTypes = 'a string, Uint8Array (a Node Buffer is one) or ArrayBuffer';
  if (value === null || value === undefined) return `${rawTypes}, but got ${String(value)}`;
  if (typeof value !== 'object') return `${rawTypes}, but got a ${typeof value}`;
  const tag = tagOf(value);
  if (tag === 'Object' || tag === 'Array') {
    return (
      `${rawTypes}, but got a parsed ${tag === 'Array' ? 'array' : 'object'}: a JSON body parser already ran. ` +
      'Read the raw body instead (for example express.raw({ type: "application/json" }) or `await request.text()`)'
    );
  }
  return `${rawTypes}, but got a ${tag ?? 'value'}`;
}
