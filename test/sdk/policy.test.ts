// The one retry policy (src/pipeline/policy.ts `decide`), as a table: every branch without a
// socket. The behaviour suites show the same rules end to end; this file shows each rule alone.
import { describe, expect, it } from 'vitest';
import { APIConnectionError, APITimeoutError, CovetonError } from '../../src/index.js';
import { decide, decideTurn, pauseAfter429, type AttemptState, type CallPolicy, type Decision, type TurnDecision, type TurnWait } from '../../src/pipeline/policy.js';
import { redirect } from '../../src/pipeline/redirect.js';

const policy = (over: Partial<CallPolicy> = {}): CallPolicy => ({
  method: 'GET',
  url: 'https://api.test/v1/api-keys/key_1',
  headers: {},
  repeat: 'if-safe',
  redirects: 'api',
  maxRetries: 2,
  maxRetryAfter: 60_000,
  backoff: { initialDelay: 500, maxDelay: 8000, jitter: 0 },
  queued: false,
  renewTargetOn: undefined,
  ...over,
});

const state = (over: Partial<AttemptState> = {}): AttemptState => ({
  attempt: 1,
  renewedCredential: false,
  renewedTarget: false,
  redirects: 0,
  deadlineLeft: Infinity,
  ...over,
});

const facts = (retryAfterMs: number | undefined) => ({ rateLimit: undefined, retryAfterMs });
const refused = new APIConnectionError('refused', { code: 'ECONNREFUSED' });
const reset = new APIConnectionError('reset', { code: 'ECONNRESET' });
const POST_KEYED = { method: 'POST', headers: { 'idempotency-key': 'k' } };

type Row = [name: string, policy: Partial<CallPolicy>, state: Partial<AttemptState>, expected: Decision];

const TABLE: Row[] = [
  // Retries by status.
  ['GET 503, first attempt: backoff 500 ms', {}, { status: 503 }, { do: 'retry', delay: 500, inQueue: false }],
  ['GET 503, second attempt: backoff 1000 ms', {}, { status: 503, attempt: 2 }, { do: 'retry', delay: 1000, inQueue: false }],
  ['GET 503 past maxRetries', {}, { status: 503, attempt: 3 }, { do: 'stop' }],
  ['GET 503 with maxRetries 0', { maxRetries: 0 }, { status: 503 }, { do: 'stop' }],
  ...[408, 429, 500, 502, 504].map((status): Row => [`GET ${status} is transient`, {}, { status }, { do: 'retry', delay: 500, inQueue: false }]),
  ...[400, 401, 403, 404, 409, 422, 501].map((status): Row => [`GET ${status} is final`, {}, { status }, { do: 'stop' }]),
  // Unsafe methods.
  ['POST without a key, 503: never repeated', { method: 'POST' }, { status: 503 }, { do: 'stop' }],
  ['PATCH without a key, 503: never repeated', { method: 'PATCH' }, { status: 503 }, { do: 'stop' }],
  ['POST with an Idempotency-Key, 503: repeated', POST_KEYED, { status: 503 }, { do: 'retry', delay: 500, inQueue: false }],
  ['PUT and DELETE are idempotent', { method: 'delete' }, { status: 502 }, { do: 'retry', delay: 500, inQueue: false }],
  // Errors without a response.
  ['GET, connection reset', {}, { error: reset }, { do: 'retry', delay: 500, inQueue: false }],
  ['GET, attempt timeout', {}, { error: new APITimeoutError('attempt', 100) }, { do: 'retry', delay: 500, inQueue: false }],
  ['GET, deadline timeout', {}, { error: new APITimeoutError('deadline', 100) }, { do: 'stop' }],
  ['GET, an error of the caller\'s fetch', {}, { error: new CovetonError('bug') }, { do: 'stop' }],
  // One-time credentials (x-retry: if-not-sent).
  ['one-time POST, refused connection: repeated', { method: 'POST', repeat: 'if-not-sent' }, { error: refused }, { do: 'retry', delay: 500, inQueue: false }],
  ['one-time POST, reset: it may be spent', { method: 'POST', repeat: 'if-not-sent' }, { error: reset }, { do: 'stop' }],
  ['one-time POST, attempt timeout: it may be spent', { method: 'POST', repeat: 'if-not-sent' }, { error: new APITimeoutError('attempt', 1) }, { do: 'stop' }],
  ['one-time POST, 503: it may have run and spent it', { method: 'POST', repeat: 'if-not-sent' }, { status: 503 }, { do: 'stop' }],
  ['one-time POST, 500: it may have run and spent it', { method: 'POST', repeat: 'if-not-sent' }, { status: 500 }, { do: 'stop' }],
  ['one-time POST, 429: refused before it ran, repeated', { method: 'POST', repeat: 'if-not-sent' }, { status: 429 }, { do: 'retry', delay: 500, inQueue: false }],
  ['one-time POST, 408: it never arrived whole, repeated', { method: 'POST', repeat: 'if-not-sent' }, { status: 408 }, { do: 'retry', delay: 500, inQueue: false }],
  // Retry-After.
  ['Retry-After replaces the backoff', {}, { status: 503, facts: facts(3000) }, { do: 'retry', delay: 3000, inQueue: false }],
  ['Retry-After above maxRetryAfter: stop now', { maxRetryAfter: 5000 }, { status: 503, facts: facts(5001) }, { do: 'stop' }],
  ['Retry-After equal to maxRetryAfter: waited', { maxRetryAfter: 5000 }, { status: 503, facts: facts(5000) }, { do: 'retry', delay: 5000, inQueue: false }],
  ['a 429 with Retry-After and a queue: waited in the queue', { queued: true }, { status: 429, facts: facts(1000) }, { do: 'retry', delay: 1000, inQueue: true }],
  ['a 429 without Retry-After: backoff, outside the queue', { queued: true }, { status: 429, facts: facts(undefined) }, { do: 'retry', delay: 500, inQueue: false }],
  ['a 503 with Retry-After and a queue: outside the queue', { queued: true }, { status: 503, facts: facts(1000) }, { do: 'retry', delay: 1000, inQueue: false }],
  // The deadline.
  ['the wait would outlive the deadline', {}, { status: 503, deadlineLeft: 500 }, { do: 'stop' }],
  ['the wait ends before the deadline', {}, { status: 503, deadlineLeft: 501 }, { do: 'retry', delay: 500, inQueue: false }],
  ['a Retry-After past the deadline', {}, { status: 429, facts: facts(30_000), deadlineLeft: 5000 }, { do: 'stop' }],
  // Renewals.
  ['401 token_expired with a renewable credential: renew', {}, { status: 401, reason: 'token_expired', credential: 'at' }, { do: 'renew', what: 'credential' }],
  ['401 token_expired, renewed once already: stop', {}, { status: 401, reason: 'token_expired', credential: 'at', renewedCredential: true }, { do: 'stop' }],
  ['401 token_expired without a renewable credential (an API key): stop', {}, { status: 401, reason: 'token_expired' }, { do: 'stop' }],
  ['401 session_revoked with a renewable credential: renew (the refresh confirms the end)', {}, { status: 401, reason: 'session_revoked', credential: 'at' }, { do: 'renew', what: 'credential' }],
  ['401 session_revoked, renewed once already: stop', {}, { status: 401, reason: 'session_revoked', credential: 'at', renewedCredential: true }, { do: 'stop' }],
  ['401 token_invalid: stop', {}, { status: 401, reason: 'token_invalid', credential: 'at' }, { do: 'stop' }],
  ['a renewal is no retry: even a POST without a key renews', { method: 'POST' }, { status: 401, reason: 'token_expired', credential: 'at', attempt: 9 }, { do: 'renew', what: 'credential' }],
  ['storage 403: presign again', { renewTargetOn: 403, redirects: 'storage' }, { status: 403 }, { do: 'renew', what: 'target' }],
  ['storage 403 after a new presign: stop', { renewTargetOn: 403, redirects: 'storage' }, { status: 403, renewedTarget: true }, { do: 'stop' }],
  // Redirects.
  ['same-origin GET redirect: followed', {}, { status: 302, location: '/v1/api-keys/key_2' }, { do: 'follow', url: 'https://api.test/v1/api-keys/key_2', method: 'GET', keepBody: false }],
  ['another origin: refused', {}, { status: 307, location: 'https://evil.test/x?token=1' }, { do: 'refuse', location: 'https://evil.test/x?[REDACTED]', why: 'another origin never gets an API request' }],
  ['same-origin POST: refused', POST_KEYED, { status: 307, location: '/v1/x' }, { do: 'refuse', location: 'https://api.test/v1/x', why: 'POST is never re-sent' }],
  ['one-time credential: refused', { repeat: 'if-not-sent' }, { status: 302, location: '/v1/x' }, { do: 'refuse', location: 'https://api.test/v1/x', why: 'it carries a one-time credential' }],
  ['credentials in the Location: refused', {}, { status: 302, location: 'https://u:p@api.test/v1/x' }, { do: 'refuse', location: 'https://api.test/v1/x', why: 'the Location carries credentials' }],
  ['no Location', {}, { status: 301 }, { do: 'refuse', location: '', why: 'no Location' }],
  ['a Location that is no URL', {}, { status: 301, location: 'http://[::1' }, { do: 'refuse', location: '', why: 'bad Location' }],
  ['the sixth redirect', {}, { status: 302, location: '/v1/x', redirects: 5 }, { do: 'refuse', location: '', why: 'too many redirects' }],
  ['status 0, a redirect the runtime hides', {}, { status: 0 }, { do: 'refuse', location: '', why: 'the runtime hides its target' }],
  ['storage 307 to https: followed with its body', { method: 'PUT', redirects: 'storage', url: 'https://bucket.test/a' }, { status: 307, location: 'https://other.test/b' }, { do: 'follow', url: 'https://other.test/b', method: 'PUT', keepBody: true }],
  ['storage redirect to http: refused', { redirects: 'storage', url: 'https://bucket.test/a' }, { status: 302, location: 'http://other.test/b' }, { do: 'refuse', location: 'http://other.test/b', why: 'storage redirects are followed only to https' }],
  ['storage redirect to a metadata address: refused', { method: 'PUT', redirects: 'storage', url: 'https://bucket.test/a' }, { status: 307, location: 'https://169.254.169.254/latest/user-data' }, { do: 'refuse', location: 'https://169.254.169.254/latest/user-data', why: 'it points at a link-local, metadata, unspecified or loopback host' }],
  ['storage redirect to link-local IPv6: refused', { redirects: 'storage', url: 'https://bucket.test/a' }, { status: 302, location: 'https://[fd00:ec2::254]/meta?x=1' }, { do: 'refuse', location: 'https://[fd00:ec2::254]/meta?[REDACTED]', why: 'it points at a link-local, metadata, unspecified or loopback host' }],
  ['storage redirect to loopback from a public host: refused', { redirects: 'storage', url: 'https://bucket.test/a' }, { status: 302, location: 'https://127.0.0.1:9000/b' }, { do: 'refuse', location: 'https://127.0.0.1:9000/b', why: 'it points at a link-local, metadata, unspecified or loopback host' }],
  ['storage redirect on loopback (a local mock): followed', { redirects: 'storage', url: 'https://127.0.0.1:9000/a' }, { status: 302, location: 'https://localhost:9000/b' }, { do: 'follow', url: 'https://localhost:9000/b', method: 'GET', keepBody: true }],
  ['storage 303 after a PUT: a GET without the body', { method: 'PUT', redirects: 'storage', url: 'https://bucket.test/a' }, { status: 303, location: 'https://bucket.test/b' }, { do: 'follow', url: 'https://bucket.test/b', method: 'GET', keepBody: false }],
  ['manual redirects (an OAuth start): the redirect is the answer, so no redirect rule applies', { redirects: 'manual' }, { status: 302, location: 'https://idp.test' }, { do: 'stop' }],
  ['a 304 is no redirect to follow', {}, { status: 304 }, { do: 'stop' }],
];

/** What the loop does: `decide`, and for a redirect the redirect rules it loads on the first one. */
function decided(p: CallPolicy, s: AttemptState): Decision {
  const first = decide(p, s);
  return first.do === 'redirect' ? redirect(p, s) : first;
}

describe('decide(), every branch', () => {
  it.each(TABLE)('%s', (_name, over, attempt, expected) => {
    expect(decided(policy(over), state(attempt))).toEqual(expected);
  });

  it('hands every redirect status, and status 0, to the redirect rules', () => {
    for (const status of [0, 301, 302, 303, 307, 308]) expect(decide(policy(), state({ status }))).toEqual({ do: 'redirect' });
    expect(decide(policy({ redirects: 'manual' }), state({ status: 302 }))).toEqual({ do: 'stop' });
  });
});

// A request waiting in the rate-limit queue: what the store said (a fact: how long until a slot
// is free, and why) against the client's maxRetryAfter and the call's deadline.
type TurnRow = [name: string, turn: TurnWait, limits: { maxRetryAfter: number; deadlineLeft: number }, expected: TurnDecision];
const LIMITS = { maxRetryAfter: 1000, deadlineLeft: 5000 };
const TURNS: TurnRow[] = [
  ['the window ends within maxRetryAfter: wait', { wait: 1000, why: 'window' }, LIMITS, { do: 'wait' }],
  ['the window ends past maxRetryAfter: RateLimitedError, nothing sent', { wait: 1001, why: 'window' }, LIMITS, { do: 'stop', because: 'rate-limited' }],
  ["a 429's pause within maxRetryAfter: wait", { wait: 999, why: 'pause' }, LIMITS, { do: 'wait' }],
  ["a 429's pause past maxRetryAfter: RateLimitedError", { wait: 3_600_000, why: 'pause' }, LIMITS, { do: 'stop', because: 'rate-limited' }],
  ["the caller's own budget is no server's wait: past maxRetryAfter it is waited", { wait: 4000, why: 'budget' }, LIMITS, { do: 'wait' }],
  ["the caller's own budget past the deadline: the deadline", { wait: 5001, why: 'budget' }, LIMITS, { do: 'stop', because: 'deadline' }],
  ['a window within maxRetryAfter but past the deadline: the deadline', { wait: 900, why: 'window' }, { maxRetryAfter: 1000, deadlineLeft: 899 }, { do: 'stop', because: 'deadline' }],
  ['a turn exactly at the deadline: waited', { wait: 5000, why: 'budget' }, LIMITS, { do: 'wait' }],
  // A store's wait below 0 (a number past 2^63 comes out of Redis's Lua as its smallest integer) or not a number
  // would be waited as 0 and asked again at once, forever: refused, whatever the limits.
  ['a wait below 0 from a store: refused, not asked again at once', { wait: -9_223_372_036_854_775_808, why: 'pause' }, { maxRetryAfter: Infinity, deadlineLeft: Infinity }, { do: 'stop', because: 'rate-limited' }],
  ["a budget's wait below 0: refused", { wait: -1, why: 'budget' }, LIMITS, { do: 'stop', because: 'rate-limited' }],
  ['a wait that is not a number: refused', { wait: Number.NaN, why: 'window' }, { maxRetryAfter: Infinity, deadlineLeft: Infinity }, { do: 'stop', because: 'rate-limited' }],
  ["a budget's wait without end: refused (no deadline would end it)", { wait: Infinity, why: 'budget' }, { maxRetryAfter: Infinity, deadlineLeft: Infinity }, { do: 'stop', because: 'rate-limited' }],
  ["a pause without end, with maxRetryAfter Infinity: refused", { wait: Infinity, why: 'pause' }, { maxRetryAfter: Infinity, deadlineLeft: Infinity }, { do: 'stop', because: 'rate-limited' }],
  ['learning (an answer out will say): waited whatever the limits', { wait: Infinity, why: 'learning' }, { maxRetryAfter: 0, deadlineLeft: 0 }, { do: 'wait' }],
];

describe('decideTurn(), every branch', () => {
  it.each(TURNS)('%s', (_name, turn, limits, expected) => {
    expect(decideTurn(turn, limits)).toEqual(expected);
  });
});

describe('pauseAfter429()', () => {
  it.each([
    ['a Retry-After within maxRetryAfter holds the queue that long', 1500, 60_000, 1500],
    ["an hour's Retry-After holds it maxRetryAfter only", 3_600_000, 60_000, 60_000],
    ["no Retry-After: no pause of its own (the store's window end stands)", undefined, 60_000, undefined],
  ] as const)('%s', (_name, retryAfter, max, expected) => {
    expect(pauseAfter429(retryAfter, max)).toBe(expected);
  });
});
