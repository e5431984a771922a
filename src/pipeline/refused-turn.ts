// The error of a turn the rate-limit queue refused: loaded by the loop on the first refusal
// (./index.ts), as most clients never wait past maxRetryAfter, so that its messages stay out of
// what a client loads up front. The refusal that comes of the deadline is built in the loop.
import { RateLimitedError } from '../errors/api-error.js';
import type { TurnRefused } from './attempt.js';

/** A turn the rate-limit queue refused (the policy's `decideTurn`): nothing was sent. */
export function refusedTurn(turn: TurnRefused, endpoint: string, maxRetryAfter: number): RateLimitedError {
  // A wait below 0 or without end comes of a broken store: no time to give the caller.
  const usable = turn.wait >= 0 && turn.wait < Infinity;
  return new RateLimitedError({
    status: 429,
    code: 'RATE_LIMITED',
    message: usable
      ? `the rate-limit budget is spent for ${Math.ceil(turn.wait / 1000)} s more, longer than maxRetryAfter (${maxRetryAfter} ms); nothing was sent.`
      : `the rate-limit store gave an unusable wait (${turn.wait} ms); nothing was sent.`,
    headers: new Headers(),
    requestId: undefined,
    reason: undefined,
    details: undefined,
    rateLimit: turn.rateLimit,
    retryAfterMs: usable ? turn.wait : undefined,
    body: undefined,
    endpoint,
  });
}
