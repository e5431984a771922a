// The pipeline every request goes through: resource methods, the raw client, file transfers
// and the token refresh. One call = the loop below; each turn waits for the rate-limit queue,
// sets headers and credentials, sends once, parses the headers once (readFacts), reads the body
// under the attempt's timer, and asks the policy (./policy.ts) what next. The call ends with
// the answer or with the one typed error built by ./outcome.ts. See src/README.md for the hops.
import { CovetonError } from '../errors/base.js';
import { APITimeoutError, APIUserAbortError } from '../errors/transport.js';
import { NULL_BODY_STATUSES, parseBody, type HeaderReader, type Outgoing, type Reply, type Send } from '../transport/outgoing.js';
import type { ResolvedOptions } from '../options.js';
import { readFacts, type ResponseFacts } from './rate-limit/headers.js';
import { redact, safeUrl } from '../util/redact.js';
import { callLimits } from '../util/validate.js';
import { assertHeaderValues } from './identity.js';
import { connectionError, failure, refusedRedirect, type Failed } from './outcome.js';
import { decide, type AttemptState, type CallPolicy } from './policy.js';
import { attemptSignal, sleep } from './signal.js';
import type { Logger } from '../public/logger.js';

/** Which credential an attempt carries (src/session/credentials.ts). */
export interface Credentials {
  /** Sets the credential of one attempt; resolves to the session access token it used, if any. */
  apply(headers: Record<string, string>, anonymous: boolean, signal: AbortSignal | undefined): string | undefined | Promise<string | undefined>;
  /** Replaces a session token the server called expired (one shared refresh); resolves to the new one. */
  renew(stale: string, signal: AbortSignal | undefined): Promise<string>;
}

/** The rate limiter, as the loop sees it: every attempt waits its turn, and every answer is shown to it. */
export interface AttemptGate {
  tryAcquire(): (() => void) | undefined;
  acquire(signal: AbortSignal | undefined, deadlineAt: number): Promise<() => void>;
  /** `turn` (the release the gate handed out) says which send this answers. */
  observe(status: number, headers: HeaderReader, turn?: () => void): void;
}

/** One call through the pipeline. */
export interface Call {
  /** `METHOD /path/template`, for errors and logs. */
  endpoint: string;
  signal?: AbortSignal | undefined;
  maxRetries?: number | undefined;
  timeout?: number | undefined;
  deadline?: number | undefined;
  /** How a success body is read: text (API calls), bytes or a stream (downloads). @default 'text' */
  read?: 'text' | 'bytes' | 'stream';
  repeat?: CallPolicy['repeat'];
  /** The redirect is the answer (the OAuth starts). */
  manualRedirect?: boolean;
  /** A public operation: no session token. */
  anonymous?: boolean;
  /** Presign again and resend once after this status (an expired storage URL answers 403). */
  renewTarget?: { status: number; run(): Promise<Outgoing> } | undefined;
  /** Give a 4xx/5xx back instead of throwing it (the raw openapi-fetch client). */
  returnErrors?: boolean;
  /** More secrets to redact from this call's error (the refresh token of a refresh). */
  secrets?: readonly string[];
}

/** A call's final answer. */
export interface Answer {
  reply: Reply;
  facts: ResponseFacts;
  text?: string | undefined;
  bytes?: Uint8Array | undefined;
  stream?: ReadableStream<Uint8Array> | null | undefined;
  /** A 4xx/5xx body, parsed once: the envelope, raw text, or undefined. */
  errorBody?: unknown;
}

export interface PipelineParts {
  send: Send;
  /** API calls get the SDK's identity and a credential; presigned storage URLs get neither. */
  target: 'api' | 'storage';
  identity?: ((headers: Record<string, string>) => void) | undefined;
  credentials?: Credentials | undefined;
  gate?: AttemptGate | undefined;
  secrets: () => readonly (string | undefined)[];
  logger: Logger & { debugEnabled?: boolean };
}

export type Pipeline = (request: Outgoing, call: Call) => Promise<Answer>;

const isRedirect = (status: number) => status === 0 || (status >= 300 && status < 400);

export function createPipeline(options: ResolvedOptions, parts: PipelineParts): Pipeline {
  const limits = { maxRetries: options.maxRetries, timeout: options.timeout, deadline: options.deadline };
  const { send, gate, credentials, identity, logger } = parts;
  const cap = options.maxResponseBytes;

  /** One attempt: headers, credential, send, and the body read under the attempt's timer. */
  async function attempt(request: Outgoing, call: Call, timeout: number, deadlineLeft: number, anonymous: boolean, turn: (() => void) | undefined) {
    // With no timeout, no deadline and no caller signal there is nothing to abort: skip the
    // signal, whose cost inside fetch is much of what the SDK adds to a fast local call.
    const bounded = call.signal || Number.isFinite(timeout) || Number.isFinite(deadlineLeft);
    const guard = bounded ? attemptSignal(call.signal, timeout, deadlineLeft) : undefined;
    const signal = guard?.signal;
    let handedOver = false;
    const headers = { ...request.headers };
    try {
      identity?.(headers);
      // A credential step that fails (the refresh ended the session) ends the call: it is no
      // attempt's outcome, and repeating would only send the same refresh token again.
      const applied = credentials?.apply(headers, anonymous, signal);
      const sessionToken = applied instanceof Promise ? await applied : applied;
      assertHeaderValues(headers);
      /** The attempt ended without a whole answer: the connection, timeout or abort error. */
      const lost = (error: unknown) => ({
        error: connectionError(error, guard?.reason(), request.url, { timeout, deadline: call.deadline ?? options.deadline }, parts.secrets()),
        sessionToken,
      });
      let reply: Reply;
      try {
        reply = await send({ url: request.url, method: request.method, headers, body: request.body }, signal);
      } catch (error) {
        return lost(error);
      }
      const facts = readFacts(reply.headers);
      gate?.observe(reply.status, reply.headers, turn);
      const { status } = reply;
      const answer: Answer = { reply, facts };
      try {
        // A redirect is read from its headers only, followed or not: its body goes unread.
        if (NULL_BODY_STATUSES.has(status) || request.method === 'HEAD' || isRedirect(status)) reply.discard();
        else if (status < 200 || status >= 300) answer.errorBody = parseBody((answer.text = await reply.text(cap)));
        else if (!call.read || call.read === 'text') answer.text = await reply.text(cap);
        else if (call.read === 'bytes') answer.bytes = await reply.bytes(cap);
        else if (!guard) answer.stream = reply.stream();
        else {
          // The timer and the caller's signal go on covering the body until it ends or is cancelled.
          handedOver = true;
          const transformer = { flush: () => guard.dispose(), cancel: () => guard.dispose() } as Transformer<Uint8Array, Uint8Array>;
          answer.stream = reply.stream()?.pipeThrough(new TransformStream(transformer));
        }
      } catch (error) {
        if (error instanceof CovetonError && !(error instanceof APITimeoutError)) throw error;
        return lost(error);
      }
      return { answer, sessionToken };
    } finally {
      if (!handedOver) guard?.dispose();
    }
  }

  return async function call(first, call) {
    const started = Date.now();
    const { maxRetries, timeout, deadline } = callLimits('options.', call, limits);
    const anonymous = parts.target === 'storage' || !!call.anonymous;
    let request = first;
    const policy: CallPolicy = {
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
    const state: AttemptState = { attempt: 0, renewedSession: false, renewedTarget: false, redirects: 0, deadlineLeft: deadline };

    for (;;) {
      state.attempt++;
      if (call.signal?.aborted) throw new APIUserAbortError({ cause: call.signal.reason });
      const release = gate ? (gate.tryAcquire() ?? (await gate.acquire(call.signal, started + deadline))) : undefined;
      const left = deadline - (Date.now() - started);
      if (left <= 0) {
        release?.();
        throw new APITimeoutError('deadline', deadline);
      }
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt(request, call, timeout, left, anonymous, release);
      } finally {
        release?.();
      }
      const { answer, error, sessionToken } = result as { answer?: Answer; error?: CovetonError; sessionToken?: string };
      const failed: Failed = answer ? { answer } : { error: error! };
      const status = answer?.reply.status;
      // One debug line per attempt: what was sent, what came back, and what the policy made of it.
      const line = logger.debugEnabled ? attemptLine(request, state.attempt, answer, error, started, parts.secrets()) : undefined;
      if (answer && ((status! >= 200 && status! < 300) || (call.manualRedirect && isRedirect(status!)))) {
        if (line) logger.debug('attempt', { ...line, decision: 'done' });
        return answer;
      }

      Object.assign(state, {
        status,
        facts: answer?.facts,
        error,
        sessionToken,
        location: answer?.reply.headers.get('location'),
        reason: reasonOf(answer?.errorBody),
        deadlineLeft: deadline - (Date.now() - started),
      });
      const next = decide(policy, state);
      if (line) logger.debug('attempt', { ...line, decision: next.do, ...('delay' in next ? { delay: next.delay } : {}), ...('why' in next ? { why: next.why } : {}) });
      if (next.do === 'stop') {
        if (answer && call.returnErrors) return answer;
        throw failure(failed, call.endpoint, [...parts.secrets(), ...(call.secrets ?? [])]);
      }
      if (next.do === 'refuse') throw refusedRedirect(status!, next.location, call.endpoint, next.why, [...parts.secrets(), ...(call.secrets ?? [])]);
      if (next.do === 'follow') {
        state.redirects++;
        const headers = { ...request.headers };
        if (!next.keepBody) {
          delete headers['content-type'];
          delete headers['content-length'];
        }
        request = { url: next.url, method: next.method, headers, body: next.keepBody ? request.body : null };
        policy.url = next.url;
        policy.method = next.method;
        state.attempt--; // a redirect is not a retry
        continue;
      }
      if (next.do === 'renew') {
        if (next.what === 'session') {
          state.renewedSession = true;
          // The resend carries the fresh token as is: asking the store again could refresh twice.
          // The wait for the shared refresh counts against the deadline and ends with the caller's signal.
          const wait = attemptSignal(call.signal, Infinity, deadline - (Date.now() - started));
          let fresh: string;
          try {
            fresh = await credentials!.renew(sessionToken!, wait.signal);
          } finally {
            wait.dispose();
          }
          request = { ...request, headers: { ...request.headers, authorization: `Bearer ${fresh}` } };
        } else {
          state.renewedTarget = true;
          request = await call.renewTarget!.run();
          policy.url = request.url;
        }
        state.attempt--; // a renewal is not a retry
        continue;
      }
      const cause = failure(failed, call.endpoint, parts.secrets());
      const url = safeUrl(request.url);
      logger.info('retrying', { method: request.method, url, attempt: state.attempt + 1, delay: next.delay, cause: cause.message });
      options.onRetry?.({ attempt: state.attempt + 1, delay: next.delay, cause, method: request.method, url });
      if (!next.inQueue) await sleep(next.delay, call.signal);
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
