// Reads the figures every Coveton response carries (API brief: X-RateLimit-Limit, -Remaining,
// -Reset in unix seconds; Retry-After in seconds on a 429).
import type { HeaderReader } from '../../transport/outgoing.js';
import type { RateLimitInfo } from '../../public/rate-limit.js';
import { parseRetryAfter } from '../../util/retry-after.js';

function int(raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

const MAX_DATE_SECONDS = 8.64e12;

let last: { limit: string | null; remaining: string | null; reset: string | null; info: RateLimitInfo | undefined } | undefined;

function parseRateLimit(headers: HeaderReader): RateLimitInfo | undefined {
  const limitText = headers.get('x-ratelimit-limit');
  const remainingText = headers.get('x-ratelimit-remaining');
  const resetText = headers.get('x-ratelimit-reset');
  // The same three strings come back on most responses of a window: reuse the parsed figures.
  if (last && last.limit === limitText && last.remaining === remainingText && last.reset === resetText) return last.info;
  const limit = int(limitText);
  const remaining = int(remainingText);
  const reset = int(resetText);
  // A reset past what a Date can hold (year 275760) is garbage, not a time: the figures are absent.
  const info = limit === undefined || remaining === undefined || reset === undefined || reset > MAX_DATE_SECONDS ? undefined : Object.freeze({ limit, remaining, resetAt: reset * 1000 });
  last = { limit: limitText, remaining: remainingText, reset: resetText, info };
  return info;
}

/** The rate-limit figures of a response (parsed once per response, however many callers ask). */
export function readRateLimit(headers: HeaderReader): RateLimitInfo | undefined {
  return readFacts(headers).rateLimit;
}

/** What the pipeline, the rate limiter and the error builder read from one response's headers. */
export interface ResponseFacts {
  readonly rateLimit: RateLimitInfo | undefined;
  readonly retryAfterMs: number | undefined;
}

/** Retry-After is read when asked for (a failed answer), not on every success. */
class Facts implements ResponseFacts {
  readonly rateLimit: RateLimitInfo | undefined;
  #retryAfter: { ms: number | undefined } | undefined;
  constructor(
    private readonly headers: HeaderReader,
    private readonly at: number,
  ) {
    this.rateLimit = parseRateLimit(headers);
  }
  get retryAfterMs() {
    return (this.#retryAfter ??= { ms: parseRetryAfter(this.headers, this.at) }).ms;
  }
}

const parsed = new WeakMap<HeaderReader, ResponseFacts>();

/** The headers of one response, parsed once however many parts of the SDK ask. */
export function readFacts(headers: HeaderReader): ResponseFacts {
  let facts = parsed.get(headers);
  if (!facts) parsed.set(headers, (facts = new Facts(headers, Date.now())));
  return facts;
}
