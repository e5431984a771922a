// One validator for the settings a client and a single call share (`maxRetries`, `timeout`,
// `deadline`, `maxRetryAfter`): a per-call override is held to the same rules as the client
// option, so no NaN silently turns a limit off and no call retries past the client's cap.
import { CovetonInputError } from '../errors/base.js';

export const MAX_RETRIES_CAP = 10;

/**
 * A whole number from `min` to `max`, or `fallback` when none is given. The message shows a
 * string quoted, so that a limit of '3' does not read as the number 3.
 */
export function count(field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CovetonInputError(field, `must be a whole number from ${min} to ${max}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return value;
}

/** A fraction from 0 to 1 (the backoff's jitter). */
export function fraction(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new CovetonInputError(field, `must be a number from 0 to 1, got ${String(value)}`);
  return value;
}

export function millis(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new CovetonInputError(field, `must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

export interface Limits {
  maxRetries: number;
  timeout: number;
  deadline: number;
}

/** The limits of one call: the overrides it gives, checked like client options, else the client's. */
export function callLimits(where: string, call: Partial<Record<keyof Limits, unknown>>, client: Limits): Limits {
  return {
    maxRetries: count(`${where}maxRetries`, call.maxRetries, client.maxRetries, 0, MAX_RETRIES_CAP),
    timeout: millis(`${where}timeout`, call.timeout, client.timeout),
    deadline: millis(`${where}deadline`, call.deadline, client.deadline),
  };
}

/** A body as JSON, or the input error naming it (a cycle or a BigInt makes JSON.stringify throw). */
export function toJson(where: string, body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch {
    throw new CovetonInputError(where, 'is not serializable as JSON');
  }
}
