// One attempt of a call: its own signal (timeout, deadline, the caller's abort), the SDK's
// identity, `onRequest`, the authenticator (which sees the whole request), the header check,
// one send, and the body read under the attempt's timer. It ends with the answer or with the
// error that stood for it, and `onResponse` is told either way. The loop (./index.ts) decides
// what comes next.
import { CovetonError } from '../errors/base.js';
import { APITimeoutError } from '../errors/transport.js';
import { NULL_BODY_STATUSES, parseBody, type HeaderReader, type Outgoing, type Reply, type Send } from '../transport/outgoing.js';
import { assertHeaderValues } from './identity.js';
import { emit, headerSetter, shownHeaders } from './hooks.js';
import { redact } from '../util/redact.js';
import { authenticatorError, connectionError } from './outcome.js';
import { attemptSignal } from './signal.js';
import type { CallSettings } from './settings.js';
import type { Authenticator, AuthRequest } from '../public/auth.js';
import type { AttemptInfo, RequestEvent } from '../public/events.js';
import type { Logger } from '../public/logger.js';
import type { RateLimitInfo } from '../public/rate-limit.js';

/** The rate limiter, as the loop sees it: every attempt waits its turn, and every answer is shown to it. */
/**
 * A turn the rate-limit queue will not give (the policy's `decideTurn` said so): nothing was
 * sent. Facts only; the pipeline builds the error (./refused-turn.ts).
 */
export interface TurnRefused {
  refused: 'rate-limited' | 'deadline';
  /** How long until the store would have let it go (ms). */
  wait: number;
  /** The last figures the server reported. */
  rateLimit: RateLimitInfo | undefined;
}

export interface AttemptGate {
  tryAcquire(): (() => void) | undefined;
  /** A turn (the function that gives it back), or why none will come. */
  acquire(signal: AbortSignal | undefined, deadlineAt: number): Promise<(() => void) | TurnRefused>;
  /** `turn` (the release the gate handed out) says which send this answers. */
  observe(status: number, headers: HeaderReader, turn?: () => void): void;
}

/** A call's final answer. */
export interface Answer {
  reply: Reply;
  text?: string | undefined;
  bytes?: Uint8Array | undefined;
  stream?: ReadableStream<Uint8Array> | null | undefined;
  /**
   * With `stream`: lets the attempt's timer and signal go, once the body has ended, broken or
   * been cancelled, and gives the error it broke with as the SDK's (./body-stream.ts calls it).
   * With hooks, the attempt's `onResponse` is told then.
   */
  settle?: (error?: unknown) => CovetonError;
  /** A 4xx/5xx body, parsed once: the envelope, raw text, or undefined. */
  errorBody?: unknown;
  /** With `Call.returnErrors`, a 4xx/5xx's typed error (./outcome.ts), its `body` redacted there. */
  error?: CovetonError;
}

/** How an attempt ended: an answer (any status), or the error of an attempt that got none. */
export interface Attempted {
  answer?: Answer | undefined;
  error?: CovetonError | undefined;
  /** What the authenticator said it can renew (a session access token), if anything. */
  credential?: string | undefined;
}

/** What every attempt of a pipeline shares. */
export interface AttemptParts {
  send: Send;
  identity?: ((headers: Record<string, string>) => void) | undefined;
  auth?: Noting | undefined;
  gate?: AttemptGate | undefined;
  secrets: () => readonly (string | undefined)[];
  logger: Logger;
  /** `maxResponseBytes`. */
  cap: number;
}

/**
 * What the authenticator gave the first attempt of a call, or of an operation of several calls
 * sharing it (a file transfer's presigns): `''` for nothing it can renew. Each later attempt is
 * told, so that it goes as the first did (`AuthRequest.credential`).
 */
export interface Pin {
  credential?: string | undefined;
}

/**
 * An authenticator that notes, when a call starts to wait in the rate-limit queue, the session
 * the call was made in; its first attempt's request carries the note (`since`), so that a call
 * made as one user never goes as whoever signed in while it waited (../session/credentials.ts).
 */
export interface Noting extends Authenticator {
  note?(): unknown;
}

/** What one attempt is asked to do. */
export interface AttemptPlan {
  request: Outgoing;
  settings: CallSettings;
  /** Milliseconds left before the call's deadline. */
  left: number;
  /** Send no user credential: a public operation (the authenticator is told so), or storage (no authenticator at all). */
  anonymous: boolean;
  /** The credential was renewed: the request carries it, the authenticator is not asked again. */
  renewed: boolean;
  read: 'text' | 'bytes' | 'stream';
  /** What the call's first attempt carried: its later attempts, and later calls of its operation, go with it. */
  pin: Pin;
  /** The rate limiter's turn for this send, if any. */
  turn: (() => void) | undefined;
  /** What the authenticator noted when the call began to wait for its turn (`Noting`). */
  since?: unknown;
  /** `Date.now()` when the call started. */
  started: number;
  /** What the hook events say of this attempt; set only when the call has hooks. */
  hooks: Omit<AttemptInfo, 'elapsed'> | undefined;
}

/** What an attempt with hooks remembers for its `onResponse`. */
interface Seen {
  event?: RequestEvent;
  status?: number;
  id?: string | null;
}

/** A 3xx, or 0: a redirect the runtime hides from scripts (fetch's opaqueredirect). */
export const isRedirect = (status: number) => status === 0 || (status >= 300 && status < 400);

export function attempt(parts: AttemptParts, plan: AttemptPlan): Promise<Attempted> {
  // Without hooks, the attempt itself: no async frame of its own (each one is a promise hop per call).
  return plan.hooks ? withHooks(parts, plan, plan.hooks) : once(parts, plan, undefined);
}

async function withHooks(parts: AttemptParts, plan: AttemptPlan, hooks: Omit<AttemptInfo, 'elapsed'>): Promise<Attempted> {
  const seen: Seen = {};
  // `onResponse` once per attempt that `onRequest` saw start, however it ended.
  const told = (error: CovetonError | undefined) => {
    const request = seen.event;
    if (!request) return;
    seen.event = undefined;
    const elapsed = Date.now() - plan.started;
    const requestId = seen.id ? redact(seen.id, parts.secrets()) : undefined;
    emit(plan.settings.hooks!, 'onResponse', { ...hooks, elapsed, request, status: seen.status, error, duration: elapsed - request.elapsed, requestId }, parts.logger);
  };
  try {
    const result = await once(parts, plan, seen);
    const { answer } = result;
    const settle = answer?.settle;
    // A streamed body (a download `as: 'stream'`): the attempt ends with its body, ended,
    // cancelled or broken (then with the error the reader gets), not when its headers came
    // (hostile review #7; ./body-stream.ts settles it).
    if (settle) {
      answer.settle = (cause) => {
        const error = settle(cause);
        told(cause === undefined ? undefined : error);
        return error;
      };
    } else told(result.error);
    return result;
  } catch (error) {
    told(error instanceof CovetonError ? error : undefined);
    throw error;
  }
}

async function once(parts: AttemptParts, plan: AttemptPlan, seen: Seen | undefined): Promise<Attempted> {
  const { request, settings, left, anonymous, renewed, read, turn, started, hooks } = plan;
  const { timeout } = settings;
  // With no timeout, no deadline and no caller signal there is nothing to abort: skip the
  // signal, whose cost inside fetch is much of what the SDK adds to a fast local call.
  const bounded = settings.signal || Number.isFinite(timeout) || Number.isFinite(left);
  const guard = bounded ? attemptSignal(settings.signal, timeout, left) : undefined;
  let handedOver = false;
  const headers = { ...request.headers };
  try {
    parts.identity?.(headers);
    if (seen) {
      seen.event = { ...hooks!, elapsed: Date.now() - started, headers: shownHeaders(headers, parts.secrets()), setHeader: headerSetter(headers) };
      emit(settings.hooks!, 'onRequest', seen.event, parts.logger);
    }
    // One object is both what the authenticator sees and what the transport sends. (Only file
    // uploads carry a streamed source, on the storage pipeline, which has no authenticator.)
    // Its `signal` is made only if the authenticator reads it.
    const out = {
      url: request.url,
      method: request.method,
      headers,
      body: request.body,
      public: anonymous,
      credential: plan.pin.credential,
      since: plan.since,
      get signal() {
        return guard?.signal;
      },
    } as Outgoing & AuthRequest;
    let credential: string | undefined;
    const { auth } = parts;
    if (auth && !renewed) {
      // A credential step that fails (the refresh ended the session) ends the call: it is no
      // attempt's outcome, and repeating would only send the same refresh token again. What a
      // caller's authenticator throws ends it as the SDK's error, redacted (`onResponse` is told).
      let given;
      try {
        given = auth.authenticate(out);
        if (given instanceof Promise) given = await given;
      } catch (error) {
        throw await authenticatorError(error, parts.secrets());
      }
      // Given to the later attempts (a retry, a followed redirect, the operation's next call), which go as this one did.
      const value = (plan.pin.credential = given ?? '');
      if (value && auth.renew) credential = value;
    }
    assertHeaderValues(headers);
    /** The attempt ended without a whole answer: the connection, timeout or abort error. */
    const lost = (error: unknown): Attempted => ({
      error: connectionError(error, guard?.why(), request.url, settings, parts.secrets()),
      credential,
    });
    let reply: Reply;
    try {
      reply = await parts.send(out, guard);
    } catch (error) {
      return lost(error);
    }
    const { status } = reply;
    parts.gate?.observe(status, reply.headers, turn);
    if (seen) {
      seen.status = status;
      seen.id = reply.headers.get('x-request-id');
    }
    const answer: Answer = { reply };
    try {
      // A redirect is read from its headers only, followed or not: its body goes unread.
      if (NULL_BODY_STATUSES.has(status) || request.method === 'HEAD' || isRedirect(status)) reply.discard();
      else if (status < 200 || status >= 300) answer.errorBody = parseBody((answer.text = await reply.text(parts.cap)));
      else if (read === 'text') answer.text = await reply.text(parts.cap);
      else if (read === 'bytes') answer.bytes = await reply.bytes(parts.cap);
      else if ((handedOver = !!(answer.stream = reply.stream()))) {
        // The timer and the caller's signal go on covering the body until ./body-stream.ts, which
        // hands it over, settles it: ended, broken (the error it gets is typed here) or cancelled.
        answer.settle = (error) => (guard?.dispose(), lost(error).error!);
      }
    } catch (error) {
      if (error instanceof CovetonError && !(error instanceof APITimeoutError)) throw error;
      return lost(error);
    }
    return { answer, credential };
  } finally {
    if (!handedOver) guard?.dispose();
  }
}
