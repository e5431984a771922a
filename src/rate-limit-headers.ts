// Reads the figures every Coveton response carries (API brief: X-RateLimit-Limit, -Remaining,
// -Reset in unix seconds; Retry-After in seconds on a 429).

/** The last rate-limit figures the server reported. */
export interface RateLimitInfo {
  /** Requests allowed per window (120 a minute per IP and per token). */
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** When the window resets. */
  resetAt: Date;
}

function int(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

let last: { key: string; info: RateLimitInfo } | undefined;

export function readRateLimit(headers: Headers): RateLimitInfo | undefined {
  // The same three strings come back on most responses of a window: reuse the parsed figures.
  const key = `${headers.get('x-ratelimit-limit')},${headers.get('x-ratelimit-remaining')},${headers.get('x-ratelimit-reset')}`;
  if (last?.key === key) return last.info;
  const limit = int(headers, 'x-ratelimit-limit');
  const remaining = int(headers, 'x-ratelimit-remaining');
  const reset = int(headers, 'x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  const info = Object.freeze({ limit, remaining, resetAt: new Date(reset * 1000) });
  last = { key, info };
  return info;
}

/**
 * `Retry-After` (RFC 9110 section 10.2.3) as milliseconds from `now`: delay-seconds or an
 * HTTP-date. `retry-after-ms`, sent by some gateways, wins when present. Unparseable or
 * negative values give `undefined`, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
