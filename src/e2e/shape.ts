// The one type check of the server's JSON that the e2e entry reads (stored messages, their
// envelopes, device bundles), made where it comes in: a field of the wrong type is
// E2EError('malformed') naming it, never a TypeError from deep inside, nor a value coerced. The
// caller's `store` option is checked here too (store.ts checkStore): its methods are 'function's;
// and the device record read from a store (device.ts), whose damage is key_store_invalid.
import { E2EError, type E2EErrorCode } from './errors.js';

/** 'string?' also takes null or a missing field; [shape] is an array of that shape. */
export type Shape = 'string' | 'string?' | 'uint32' | 'function' | readonly [Shape] | { readonly [field: string]: Shape };

/** The path of the first field of `value` not of its shape ('' for `value` itself), or undefined. */
function wrong(value: unknown, shape: Shape): string | undefined {
  if (typeof shape === 'string') {
    // `>>> 0` gives back only an integer from 0 to 2^32 - 1 unchanged (never a string, 1.5, -1 or 2^32).
    // Else the shape is the typeof it takes ('string', 'function'), and a '?' takes null too.
    const ok = shape === 'uint32' ? (value as number) >>> 0 === value : typeof value === shape.replace('?', '') || (shape === 'string?' && value == null);
    return ok ? undefined : '';
  }
  const list = Array.isArray(shape);
  // Object(value) === value for an object or a function: a store may be a class with static
  // methods; JSON from the server holds no functions, so its checks lose nothing.
  if (Object(value) !== value || Array.isArray(value) !== list) return '';
  for (const field in list ? (value as object) : shape) {
    const at = wrong((value as Record<string, unknown>)[field], list ? (shape as [Shape])[0] : (shape as Record<string, Shape>)[field]!);
    if (at !== undefined) return `.${field}${at}`;
  }
  return undefined;
}

/** `value` as the `T` that `shape` describes, or E2EError(`code`) naming the first wrong field. */
export function checked<T>(value: unknown, shape: Shape, what: string, code: E2EErrorCode = 'malformed'): T {
  const at = wrong(value, shape);
  if (at !== undefined) throw new E2EError(code, what + at);
  return value as T;
}
