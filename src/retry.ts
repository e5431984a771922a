// The one retry loop of the SDK. It runs inside the custom fetch that openapi-fetch calls, so
// the raw client and the resource methods share it, and the request body (buffered once) is
// re-sent intact on every attempt. Rate-limit waits belong to the rate limiter, not here.
import { CovetonError } from './errors/base.js';
import { APIConnectionError, APITimeoutError, APIUserAbortError, neverReachedServer } from './errors/transport.js';
import { errorFromResponse } from './errors/from-response.js';
import type { Logger } from './logger.js';
import { parseRetryAfter } from './rate-limit-headers.js';
import { parseBody, type Outgoing, type Received, type Send } from './outgoing.js';
import { redact, safeUrl } from './redact.js';
import { isSafeToRepeat, RETRYABLE_STATUSES } from './retry-policy.js';
import { backoffDelay, type BackoffOptions } from './retry-timing.js';
import { attemptSignal, sleep } from './timeout.js';

/** What `onRetry` is told before each retry. */
export interface RetryEvent {
  /** The number of the attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** Milliseconds the SDK waits before it. */
  delay: number;
  /** Why: the API error of the failed response, or the connection or timeout error. */
  cause: CovetonError;
  method: string;
  /** The URL without its query string. */
  url: string;
}


export interface RetrySettings {
  maxRetries: number;
  timeout: number;
  deadline: number;
  maxRetryAfter: number;
  backoff: BackoffOptions;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  logger: Logger & { debugEnabled?: boolean };
  secrets: () => readonly (string | undefined)[];
  /**
   * How to read the body, always under the attempt's timer and signal: as text (API calls), as
   * bytes (downloads), or as a stream whose timer lasts until the stream ends.
   * @default 'text'
   */
  read?: 'text' | 'bytes' | 'stream' | undefined;
  /** The caller's signal (openapi-fetch puts it on the Request). */
  signal?: AbortSignal | undefined;
  /** The rate limiter: every attempt waits its turn there, and it alone waits out a 429. */
  gate?: AttemptGate | undefined;
  /**
   * `'if-not-sent'` repeats even a POST without a key, but only when it never reached the
   * server (refused connection) or the server answered a retryable status: the token refresh,
   * whose refresh token must not be sent twice once the server may have spent it.
   */
  repeat?: 'if-safe' | 'if-not-sent';
}

export interface AttemptGate {
  tryAcquire(): (() => void) | undefined;
  acquire(signal: AbortSignal | undefined, deadlineAt: number): Promise<() => void>;
  observe(status: number, headers: Headers): void;
}

type Outcome = (Received & { error?: undefined }) | { response?: undefined; text?: undefined; bytes?: undefined; error: CovetonError };

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function classify(error: unknown, why: ReturnType<ReturnType<typeof attemptSignal>['reason']>, settings: RetrySettings): CovetonError {
  if (why === 'caller') return new APIUserAbortError({ cause: error });
  if (why === 'deadline') return new APITimeoutError('deadline', settings.deadline);
  if (why === 'attempt') return new APITimeoutError('attempt', settings.timeout);
  if (error instanceof CovetonError) return error;
  const e = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : undefined;
  const message = redact(typeof e?.message === 'string' ? e.message : String(error), settings.secrets());
  // fetch reports network failures as TypeError (undici adds the system error as `cause`);
  // other fetches (node-fetch) set a `code`. Anything else came from code of ours or the
  // caller's, and repeating the request will not mend it.
  if (error instanceof TypeError || code !== undefined) {
    return new APIConnectionError(`Connection failed (${code ?? message}).`, { cause: error });
  }
  return new CovetonError(`The request failed before an answer came: ${message}`, { cause: error });
}

async function attemptOnce(send: Send, request: Outgoing, settings: RetrySettings, deadlineLeft: number): Promise<Outcome> {
  // With no timeout, no deadline and no caller signal there is nothing to abort: skip the
  // signal, whose cost inside fetch is most of what the SDK adds to a fast local call.
  const bounded = settings.signal || Number.isFinite(settings.timeout) || Number.isFinite(deadlineLeft);
  const guard = bounded ? attemptSignal(settings.signal, settings.timeout, deadlineLeft) : undefined;
  let handedOver = false;
  try {
    // Each attempt gets its own headers, so that layers set credentials afresh every time.
    const response = await send({ ...request, headers: { ...request.headers } }, guard?.signal);
    if (NULL_BODY_STATUSES.has(response.status) || request.method === 'HEAD' || !response.body) return { response };
    // Read the body under the same timer: a stall or a reset mid-body is this attempt's failure.
    if (settings.read === 'bytes') return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
    if (settings.read === 'stream') {
      if (!guard) return { response };
      // The timer and the caller's signal go on covering the body until it ends or is cancelled.
      handedOver = true;
      // (`cancel` is newer than TypeScript's DOM types; runtimes without it leave the timer to fire harmlessly.)
      const transformer = { flush: () => guard.dispose(), cancel: () => guard.dispose() } as Transformer<Uint8Array, Uint8Array>;
      const body = response.body.pipeThrough(new TransformStream(transformer));
      return { response: new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }) };
    }
    return { response, text: await response.text() };
  } catch (error) {
    return { error: classify(error, guard?.reason(), settings) };
  } finally {
    if (!handedOver) guard?.dispose();
  }
}

const final = new WeakSet<object>();

/** Marks an error that a layer has already dealt with: the retry loop must not repeat the request. */
export function doNotRetry<T>(error: T): T {
  if (typeof error === 'object' && error !== null) final.add(error);
  return error;
}

function isRetryableError(error: CovetonError, notSentOnly: boolean): boolean {
  if (!(error instanceof APIConnectionError) || final.has(error)) return false;
  if (notSentOnly) return neverReachedServer(error);
  return !(error instanceof APITimeoutError) || error.kind === 'attempt';
}

export async function sendWithRetries(request: Outgoing, send: Send, settings: RetrySettings): Promise<Received> {
  const started = Date.now();
  const notSentOnly = settings.repeat === 'if-not-sent';
  const safe = notSentOnly || isSafeToRepeat(request.method, request.headers);

  for (let attempt = 1; ; attempt++) {
    if (settings.signal?.aborted) throw new APIUserAbortError({ cause: settings.signal.reason });
    const gate = settings.gate;
    const release = gate ? (gate.tryAcquire() ?? (await gate.acquire(settings.signal, started + settings.deadline))) : undefined;
    const left = settings.deadline - (Date.now() - started);
    if (left <= 0) {
      release?.();
      throw new APITimeoutError('deadline', settings.deadline);
    }
    const outcome = await attemptOnce(send, request, settings, left);
    const { response, error } = outcome;
    if (response) settings.gate?.observe(response.status, response.headers);
    release?.();
    if (settings.logger.debugEnabled) {
      const ms = Date.now() - started;
      settings.logger.debug('response', { method: request.method, url: safeUrl(request.url), attempt, status: response?.status, error: error?.name, ms });
    }

    const transient = response ? RETRYABLE_STATUSES.has(response.status) : isRetryableError(error, notSentOnly);
    if (!transient || !safe || attempt > settings.maxRetries) {
      if (error) throw error;
      return outcome;
    }

    let delay = backoffDelay(attempt, settings.backoff);
    // With a rate limiter, a 429's Retry-After is waited once, in its queue, by every request alike.
    let waitsInQueue = false;
    if (response) {
      const retryAfter = parseRetryAfter(response.headers, Date.now());
      // A huge Retry-After is a reason to stop, not to hang: the caller gets the error now.
      if (retryAfter !== undefined && retryAfter > settings.maxRetryAfter) return outcome;
      if (retryAfter !== undefined) delay = retryAfter;
      waitsInQueue = response.status === 429 && !!settings.gate && retryAfter !== undefined;
    }
    if (settings.deadline - (Date.now() - started) - delay <= 0) {
      // Waiting would outlive the deadline: fail now with what we have (a 429 becomes RateLimitedError).
      if (error) throw error;
      return outcome;
    }

    const cause =
      error ??
      errorFromResponse(response.status, response.statusText, response.headers, parseBody(outcome.text), {
        method: request.method,
        path: new URL(request.url).pathname,
        secrets: settings.secrets(),
      });
    const url = safeUrl(request.url);
    settings.logger.info('retrying', { method: request.method, url, attempt: attempt + 1, delay, cause: cause.message });
    settings.onRetry?.({ attempt: attempt + 1, delay, cause, method: request.method, url });
    if (outcome.text === undefined && outcome.bytes === undefined) await response?.body?.cancel().catch(() => {});
    if (!waitsInQueue) await sleep(delay, settings.signal);
  }
}
