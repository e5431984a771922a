// The pipeline every request goes through: resource methods, the raw client, file transfers
// and the token refresh. One call = the loop below: its options merged with the client's
// (./settings.ts), then per attempt a turn from the rate-limit queue, the attempt itself
// (./attempt.ts: identity, hooks, the authenticator, one send, the body), and the policy's
// decision (./policy.ts). The call ends with the answer or with the one typed error built by
// ./outcome.ts. See src/README.md for the hops.
import type { CovetonError } from '../errors/base.js';
import { APITimeoutError, APIUserAbortError } from '../errors/transport.js';
import type { Outgoing } from '../transport/outgoing.js';
import type { ResolvedOptions } from '../options.js';
import { loadOnce } from '../util/lazy.js';
import { redact, safeUrl } from '../util/redact.js';
import { attempt, isRedirect, type Answer, type AttemptGate, type AttemptParts, type AttemptPlan, type Noting, type Pin } from './attempt.js';
import { emit } from './hooks.js';
import { authenticatorError, failure, refusedRedirect, type Failed } from './outcome.js';
import { decide, type AttemptState, type CallPolicy } from './policy.js';
import { callHeaders, settle, type CallSettings } from './settings.js';
import { readFacts } from './rate-limit/headers.js';
import { attemptSignal, race, sleep } from './signal.js';
import type { Logger } from '../public/logger.js';
import type { RequestOptions } from '../public/request-options.js';
import type { AuthRequest } from '../public/auth.js';

export type { Answer, AttemptGate };

/** One call through the pipeline: what the entry knows of it, and the caller's options, whole. */
export interface Call {
  /** `METHOD /path/template`, for errors, logs and hook events. */
  endpoint: string;
  /** The caller's per-call options, passed as given: ./settings.ts merges them with the client's. */
  options?: RequestOptions | undefined;
  /** The operation takes an `Idempotency-Key`: the call gets one (./settings.ts). */
  idempotent?: boolean;
  /** How a success body is read: text (API calls), bytes or a stream (downloads). @default 'text' */
  read?: 'text' | 'bytes' | 'stream';
  repeat?: CallPolicy['repeat'];
  /** The redirect is the answer (the OAuth starts). */
  manualRedirect?: boolean;
  /** A public operation: the authenticator is told so (no session token goes). */
  anonymous?: boolean;
  /** Presign again and resend once after this status (an expired storage URL answers 403). */
  renewTarget?: { status: number; run(): Promise<Outgoing> } | undefined;
  /** Give a 4xx/5xx back, with its typed error as `Answer.error`, instead of throwing it (the raw openapi-fetch client). */
  returnErrors?: boolean;
  /**
   * More secrets to redact from this call's error and its retries' causes (the refresh token of
   * a refresh; a presigned URL's signature), read when one is built: an array may grow.
   */
  secrets?: readonly string[];
}

export interface PipelineParts {
  send: AttemptParts['send'];
  /** API calls get the SDK's identity, headers and the authenticator; presigned storage URLs none of them. */
  target: 'api' | 'storage';
  identity?: ((headers: Record<string, string>) => void) | undefined;
  auth?: Noting | undefined;
  gate?: AttemptGate | undefined;
  /** What to redact: every secret the client's authenticators hold now. */
  secrets: () => readonly (string | undefined)[];
  logger: Logger & { debugEnabled?: boolean };
}

export type Pipeline = (request: Outgoing, call: Call) => Promise<Answer>;

/**
 * The key, in a call's options, of the pin its operation's calls share (./attempt.ts `Pin`): a
 * file transfer's presigns, a list walk's pages, go as the first did. A symbol: no caller's
 * options carry it.
 */
export const PIN = Symbol.for('coveton.pin');

/** The redirect rules (./redirect.ts), loaded on the first redirect: the API itself never sends one. */
const redirectRules = loadOnce('redirects', () => import('./redirect.js'));

/** The rate-limit queue's refusal (./refused-turn.ts), loaded on the first one: a call that waits its turn seldom waits past maxRetryAfter. */
const turnRefusal = loadOnce('rate-limit refusal', () => import('./refused-turn.js'));


export function createPipeline(options: ResolvedOptions, parts: PipelineParts): Pipeline {
  // What a call without options runs with.
  const client: CallSettings = { maxRetries: options.maxRetries, timeout: options.timeout, deadline: options.deadline, signal: undefined, hooks: options.hooks };
  const api = parts.target === 'api';
  const headers = api ? Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), value] as const) : [];
  const { gate, logger } = parts;
  const each: AttemptParts = { ...parts, cap: options.maxResponseBytes, auth: api ? parts.auth : undefined };

  return async function call(first, call) {
    const started = Date.now();
    const settings = settle(client, call.options);
    const { maxRetries, deadline, signal, hooks } = settings;
    /** What is left of the call's deadline now. */
    const left = () => deadline - (Date.now() - started);
    /** Every secret to keep out of this call's errors and events: the client's (read when needed), and the call's own. */
    const secrets = () => (call.secrets ? [...parts.secrets(), ...call.secrets] : parts.secrets());
    let request = first;
    if (api) {
      const merged = callHeaders(first.headers, call.options, call.idempotent, headers);
      if (merged !== first.headers) request = { ...first, headers: merged };
    }
    const plan: AttemptPlan = { request, settings, left: deadline, anonymous: !api || !!call.anonymous, renewed: false, read: call.read ?? 'text', turn: undefined, started, hooks: undefined, pin: (call.options as { [PIN]?: Pin } | undefined)?.[PIN] ?? {} };
    // What the policy reads: built once the first answer is not the final one (a 2xx needs neither).
    let policy: CallPolicy | undefined;
    let attempts = 0;
    let state: AttemptState | undefined;
    // A chunk loaded on first use (the API errors, the redirect rules, the queue's refusal),
    // raced against the caller's signal and the deadline: a load that stalls, or never settles,
    // ends the call with the error an attempt would have given then.
    const within = <T>(load: Promise<T>) => race(load, signal, left(), () => new APITimeoutError('deadline', deadline));

    for (;;) {
      attempts++;
      if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
      // A call that waits for its turn has the session it was made in noted first (`Noting`).
      const turn = gate ? (gate.tryAcquire() ?? ((plan.since = each.auth?.note?.()), await gate.acquire(signal, started + deadline))) : undefined;
      if (turn && typeof turn !== 'function') {
        throw turn.refused === 'deadline' ? new APITimeoutError('deadline', deadline) : (await within(turnRefusal())).refusedTurn(turn, call.endpoint, options.maxRetryAfter);
      }
      const release = turn;
      plan.left = left();
      if (plan.left <= 0) {
        release?.();
        throw new APITimeoutError('deadline', deadline);
      }
      plan.request = request;
      plan.turn = release;
      if (hooks) plan.hooks = { endpoint: call.endpoint, method: request.method, url: safeUrl(request.url), attempt: attempts };
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        // A call's own secrets (a presign's credentials) are redacted from its hook events too.
        result = await attempt(call.secrets ? { ...each, secrets } : each, plan);
      } finally {
        release?.();
      }
      const { answer, error, credential } = result;
      const status = answer?.reply.status;
      // One debug line per attempt: what was sent, what came back, and what the policy made of it.
      const line = logger.debugEnabled ? attemptLine(request, attempts, answer, error, started, secrets()) : undefined;
      if (answer && ((status! >= 200 && status! < 300) || (call.manualRedirect && isRedirect(status!)))) {
        if (line) logger.debug('attempt', { ...line, decision: 'done' });
        return answer;
      }

      const failed: Failed = answer ? { answer } : { error: error! };
      policy ??= {
        method: request.method,
        url: request.url,
        headers: request.headers,
        repeat: call.repeat ?? 'if-safe',
        redirects: call.manualRedirect ? 'manual' : parts.target,
        maxRetries,
        maxRetryAfter: options.maxRetryAfter,
        backoff: options.backoff,
        queued: !!gate,
        renewTargetOn: call.renewTarget?.status,
      };
      state ??= { attempt: 0, renewedCredential: false, renewedTarget: false, redirects: 0, deadlineLeft: deadline };
      Object.assign(state, {
        attempt: attempts,
        status,
        facts: answer && readFacts(answer.reply.headers),
        error,
        credential,
        location: answer?.reply.headers.get('location'),
        reason: reasonOf(answer?.errorBody),
        deadlineLeft: left(),
      });
      const decided = decide(policy, state);
      let next = decided.do === 'redirect' ? (await within(redirectRules())).redirect(policy, state) : decided;
      if (line) logger.debug('attempt', { ...line, decision: next.do, delay: (next as { delay?: number }).delay, why: (next as { why?: string }).why });
      if (next.do === 'renew') {
        if (next.what === 'credential') {
          state.renewedCredential = true;
          // The resend carries the fresh credential as renew set it: asking the authenticator
          // again could refresh twice. The wait counts against the deadline and ends with the caller's signal.
          const wait = attemptSignal(signal, Infinity, left());
          const renewed = { ...request.headers };
          try {
            // False: the authenticator has no fresh credential for this request (the session's
            // pair is another sign-in's): the 401 stands, nothing is sent again.
            if ((await each.auth!.renew!(credential!, { ...(request as Outgoing & { body: string | Uint8Array | null }), headers: renewed, public: plan.anonymous, signal: wait.signal, reason: state.reason } as AuthRequest)) === false) next = { do: 'stop' };
          } catch (error) {
            throw await authenticatorError(error, secrets());
          } finally {
            wait.dispose();
          }
          request = { ...request, headers: renewed };
          plan.renewed = true;
        } else {
          state.renewedTarget = true;
          request = await call.renewTarget!.run();
          policy.url = request.url;
        }
        attempts--; // a renewal is not a retry
        if (next.do === 'renew') continue;
      }
      if (next.do === 'stop') {
        const error = await within(failure(failed, call.endpoint, secrets()));
        // The raw client gets the answer and the one typed error, redacted as every other.
        if (answer && call.returnErrors) return { ...answer, error };
        throw error;
      }
      if (next.do === 'refuse') throw refusedRedirect(status!, next.location, call.endpoint, next.why, secrets());
      if (next.do === 'follow') {
        state.redirects++;
        // Only the redirect rules decide a follow, so they are loaded: the new request is built there.
        request = (await within(redirectRules())).followed(request, next);
        policy.url = next.url;
        policy.method = next.method;
        attempts--; // a redirect is not a retry
        continue;
      }
      const cause = await within(failure(failed, call.endpoint, secrets()));
      const url = safeUrl(request.url);
      const retry = attempts + 1;
      logger.info('retrying', { method: request.method, url, attempt: retry, delay: next.delay, cause: cause.message });
      if (hooks) emit(hooks, 'onRetry', { endpoint: call.endpoint, method: request.method, url, attempt: retry, elapsed: Date.now() - started, delay: next.delay, cause }, logger);
      if (!next.inQueue) await sleep(next.delay, signal);
    }
  };
}

/** The fields of an attempt's debug line: never a credential, a body or a query string. */
function attemptLine(request: Outgoing, attempt: number, answer: Answer | undefined, error: CovetonError | undefined, started: number, secrets: readonly (string | undefined)[]) {
  const id = answer?.reply.headers.get('x-request-id');
  return {
    method: request.method,
    url: safeUrl(request.url),
    attempt,
    status: answer?.reply.status,
    requestId: id ? redact(id, secrets) : undefined,
    error: error?.name,
    ms: Date.now() - started,
  };
}


/** The `reason` of an error envelope. */
function reasonOf(body: unknown): string | undefined {
  const reason = (body as { error?: { reason?: unknown } } | undefined)?.error?.reason;
  return typeof reason === 'string' ? reason : undefined;
}
