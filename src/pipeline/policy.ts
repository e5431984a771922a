// The one module that decides whether and when a request is sent again: a retry after a
// transient failure, a renewal (a fresh credential such as a session token, a fresh presigned URL) and a followed
// redirect (whose rules are ./redirect.ts, loaded on the first redirect). The loop in ./index.ts asks `decide` after every attempt and does what it says;
// no other file repeats a request.
import { CovetonError } from '../errors/base.js';
import { APIConnectionError, APITimeoutError, neverReachedServer } from '../errors/transport.js';
import type { ResponseFacts } from './rate-limit/headers.js';
import { backoffDelay } from './backoff.js';
import type { BackoffOptions } from '../public/options.js';

/** Methods that RFC 9110 (section 9.2.2) calls idempotent: repeating them changes nothing more. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * 408, 429 and the gateway/server errors are transient. 409 is not: in this API it is a state
 * conflict (duplicate, stale write, final state) that the same request will hit again.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

// 0: the redirect a browser hides from scripts (an opaque redirect: fetch's `redirect: 'manual'`).
const REDIRECT_STATUSES: ReadonlySet<number | undefined> = new Set([0, 301, 302, 303, 307, 308]);

/**
 * A request may be sent again only if repeating it cannot do something twice: an idempotent
 * method, or any request carrying an `Idempotency-Key` (the server replays the first result,
 * API brief: Idempotency). A POST or PATCH without a key is never repeated.
 */
export function isSafeToRepeat(method: string, headers: Record<string, string>): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || 'idempotency-key' in headers;
}

/** How a call wants to be treated; fixed for the whole call. */
export interface CallPolicy {
  method: string;
  url: string;
  headers: Record<string, string>;
  /**
   * `'if-not-sent'`: a one-time credential rides on the request (a refresh token, an OAuth
   * code). It is repeated, even as a POST without a key, only when the attempt provably did
   * nothing (`didNothing`); its redirects are never followed.
   */
  repeat: 'if-safe' | 'if-not-sent';
  /**
   * `'api'`: follow a redirect only on the same origin, for GET/HEAD without a one-time
   * credential. `'storage'` (presigned URLs, which carry no credential): only to https.
   * `'manual'`: the redirect is the answer (the OAuth starts).
   */
  redirects: 'api' | 'storage' | 'manual';
  maxRetries: number;
  maxRetryAfter: number;
  backoff: Required<BackoffOptions>;
  /** A rate-limit queue that waits out a 429's Retry-After for every request alike. */
  queued: boolean;
  /** Renew the target (presign again) and resend once, after a response with this status. */
  renewTargetOn?: number | undefined;
}

/** What the last attempt gave, and what the call has done so far. */
export interface AttemptState {
  attempt: number;
  status?: number | undefined;
  facts?: ResponseFacts | undefined;
  /** The `reason` of an error envelope. */
  reason?: string | undefined;
  location?: string | null | undefined;
  error?: CovetonError | undefined;
  /** The renewable credential this attempt carried (a session access token), if any. */
  credential?: string | undefined;
  renewedCredential: boolean;
  renewedTarget: boolean;
  redirects: number;
  /** Milliseconds left before the call's deadline. */
  deadlineLeft: number;
}

export type Decision =
  | { do: 'stop' }
  | { do: 'retry'; delay: number; inQueue: boolean }
  | { do: 'renew'; what: 'credential' | 'target' }
  | { do: 'follow'; url: string; method: string; keepBody: boolean }
  | { do: 'refuse'; location: string; why: string };

/** `decide`'s answer to a redirect: the redirect rules (./redirect.ts `redirect`) say follow or refuse. */
export type Decided = Decision | { do: 'redirect' };

function isRetryableError(error: CovetonError | undefined): boolean {
  if (!(error instanceof APIConnectionError)) return false;
  return !(error instanceof APITimeoutError) || error.kind === 'attempt';
}

/**
 * The attempt provably did nothing on the server: it never reached it, or the server refused
 * it before running it (408: the request never arrived whole, RFC 9110 section 15.5.9; 429: the
 * rate limiter, seed 002 "back off and retry"). Only then is a one-time credential (a refresh
 * token, an OAuth code) sent again: a 5xx may come after the server spent it (seed 002 calls a
 * 500 safe to retry for idempotent calls only), and a spent refresh token sent again revokes
 * the whole family (API brief). The session's refresh asks the same question (rotate.ts).
 */
export function didNothing(status: number | undefined, error: unknown): boolean {
  return status === 408 || status === 429 || (status === undefined && neverReachedServer(error));
}

/**
 * What to do after an attempt. A redirect is judged by ./redirect.ts, which the loop loads when
 * the first one comes (the API itself never redirects; OAuth starts are the answer, not followed).
 */
export function decide(policy: CallPolicy, state: AttemptState): Decided {
  const { status } = state;
  if (REDIRECT_STATUSES.has(status) && policy.redirects !== 'manual') return { do: 'redirect' };
  // A renewal is not a retry: the request failed for a reason the renewal mends, once. A
  // session revoked elsewhere ("sign out everywhere") is renewed too: the refresh the session
  // sends confirms the end, which then reaches onSessionExpired and the store (the session's
  // own pair only, if the store still holds it; the request is never sent again:
  // ../session/credentials.ts `renew`).
  if (status === 401 && (state.reason === 'token_expired' || state.reason === 'session_revoked') && state.credential !== undefined && !state.renewedCredential) {
    return { do: 'renew', what: 'credential' };
  }
  if (status !== undefined && status === policy.renewTargetOn && !state.renewedTarget) return { do: 'renew', what: 'target' };

  const notSentOnly = policy.repeat === 'if-not-sent';
  const safe = notSentOnly || isSafeToRepeat(policy.method, policy.headers);
  const transient = notSentOnly ? didNothing(status, state.error) : status !== undefined ? RETRYABLE_STATUSES.has(status) : isRetryableError(state.error);
  if (!transient || !safe || state.attempt > policy.maxRetries) return { do: 'stop' };

  let delay = backoffDelay(state.attempt, policy.backoff);
  const retryAfter = state.facts?.retryAfterMs;
  // A huge Retry-After is a reason to stop, not to hang: the caller gets the error now.
  if (retryAfter !== undefined && retryAfter > policy.maxRetryAfter) return { do: 'stop' };
  if (retryAfter !== undefined) delay = retryAfter;
  // Waiting would outlive the deadline: fail now with what we have (a 429 becomes RateLimitedError).
  if (state.deadlineLeft - delay <= 0) return { do: 'stop' };
  // With a rate limiter, a 429's Retry-After is waited once, in its queue, by every request alike.
  return { do: 'retry', delay, inQueue: status === 429 && policy.queued && retryAfter !== undefined };
}

/** What the rate-limit store said about the head of the queue: how long until it may go, and why. */
export interface TurnWait {
  wait: number;
  why: 'learning' | 'pause' | 'window' | 'budget';
}

export type TurnDecision = { do: 'wait' } | { do: 'stop'; because: 'rate-limited' | 'deadline' };

/**
 * A request waiting in the rate-limit queue: wait for its turn, or fail now without sending.
 * A wait the server asked for (its window, a 429's pause) longer than `maxRetryAfter` fails
 * with a RateLimitedError; a turn that would come after the deadline fails with the deadline.
 * `learning` (an answer out will tell the figures) has no length: it is waited. A wait below 0,
 * or an endless one for any other reason, fails with a RateLimitedError, nothing sent.
 */
export function decideTurn(turn: TurnWait, limits: { maxRetryAfter: number; deadlineLeft: number }): TurnDecision {
  // A wait below 0, or not a number, is a broken store: waited, it would be asked again at once,
  // forever. An endless wait is one too, unless it is for an answer that will come (learning).
  if (!(turn.wait >= 0 && (turn.wait < Infinity || turn.why === 'learning')) || ((turn.why === 'window' || turn.why === 'pause') && turn.wait > limits.maxRetryAfter)) {
    return { do: 'stop', because: 'rate-limited' };
  }
  if (turn.why !== 'learning' && turn.wait > limits.deadlineLeft) return { do: 'stop', because: 'deadline' };
  return { do: 'wait' };
}

/**
 * How long a 429 holds every request of the queue (the store keeps it as a fact): its
 * Retry-After, capped at `maxRetryAfter` so that an hour's Retry-After does not freeze every
 * caller for an hour (past the cap, the next request meets the server's 429 and fails in
 * `decide`). Undefined when the 429 did not say: the store's window end stands.
 */
export function pauseAfter429(retryAfterMs: number | undefined, maxRetryAfter: number): number | undefined {
  return retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, maxRetryAfter);
}
