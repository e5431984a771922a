// Server-set ids and secrets: prefixed ids (`team_`, `msg_`, ...) read from the id patterns the
// schemas state (`^team_[A-Za-z0-9]+$`), with a random base62 tail.
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Up to `length` base62 characters drawn from `bytes` (fewer when the bytes run out). */
export function base62From(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    // 248 = 4 * 62: dropping larger bytes keeps every character equally likely.
    if (bytes[i]! < 248) out += BASE62[bytes[i]! % 62];
  }
  return out;
}

export function base62(length: number): string {
  const out = base62From(randomBytes(length * 2), length);
  return out.length === length ? out : out + base62(length - out.length);
}

/** The prefix a pattern such as `^team_[A-Za-z0-9]+$` requires, or undefined. */
export function idPrefix(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return undefined;
  return /^\^([a-z]+_)\[A-Za-z0-9\]\+\$$/.exec(pattern)?.[1];
}

export function newId(prefix: string): string {
  return `${prefix}${base62(12)}`;
}

export function requestId(): string {
  return `req_${base62(12)}`;
}

/** An id that is the same every time for the same `key` (records of a seed file, across starts and resets). */
export function stableId(prefix: string, key: string): string {
  return `${prefix}${base62From(createHash('sha256').update(key).digest(), 12)}`;
}
