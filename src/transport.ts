// The pipeline every request goes through, resource method or raw openapi-fetch call alike:
// the rate-limit queue and the retry loop outside, per-attempt layers (headers, credentials,
// refresh) inside, then fetch.
import { defaultHeaders } from './auth.js';
import { leveled } from './logger.js';
import type { ResolvedOptions } from './options.js';
import { fromRequest, toResponse, type Layer, type Outgoing, type Received, type Send } from './outgoing.js';
import { sendWithRetries, type AttemptGate, type RetrySettings } from './retry.js';

/** Per-call settings of a resource method. */
export interface CallOptions {
  /** Aborts the call, including any wait between retries or in the rate-limit queue. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt `timeout` for this call. */
  timeout?: number;
  /** Overrides the client's `deadline` for this call. */
  deadline?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** The `Idempotency-Key` to send, where the operation takes one. @default a random UUID per call */
  idempotencyKey?: string;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface TransportCall extends CallOptions {
  read?: RetrySettings['read'];
  repeat?: RetrySettings['repeat'];
}

export interface Transport {
  send(request: Outgoing, call?: TransportCall): Promise<Received>;
  /** The same pipeline as a fetch function, for openapi-fetch. */
  fetch(request: Request): Promise<Response>;
}

export interface TransportParts {
  /** Per-attempt layers after the default headers (auth of one kind or another). */
  layers: Layer[];
  gate?: AttemptGate | undefined;
  secrets: () => readonly (string | undefined)[];
  /** Send nothing of the SDK's own: no User-Agent, no configured headers (presigned storage URLs). */
  plain?: boolean;
}

function baseSend(options: ResolvedOptions): Send {
  const init = (request: Outgoing, signal: AbortSignal | undefined): RequestInit => ({
    method: request.method,
    headers: request.headers,
    body: request.body as BodyInit | null,
    redirect: request.redirect,
    signal,
  });
  // A custom fetch gets a Request, as openapi-fetch hands it one; the default skips that step.
  if (options.customFetch) return (request, signal) => options.fetch(new Request(request.url, init(request, signal)));
  return (request, signal) => globalThis.fetch(request.url, init(request, signal));
}

export function createTransport(options: ResolvedOptions, parts: TransportParts): Transport {
  const logger = leveled(options.logger, options.logLevel);
  const layers: Layer[] = parts.plain ? parts.layers : [defaultHeaders(options), ...parts.layers];
  const send = layers.reduceRight<Send>((next, layer) => layer(next), baseSend(options));

  // Built once: a call without overrides uses it as is (this object is on every call's path).
  const defaults: RetrySettings = {
    maxRetries: options.maxRetries,
    timeout: options.timeout,
    deadline: options.deadline,
    maxRetryAfter: options.maxRetryAfter,
    backoff: options.backoff,
    onRetry: options.onRetry,
    logger,
    secrets: parts.secrets,
    gate: parts.gate,
  };
  const settingsFor = (call: TransportCall): RetrySettings => {
    const { maxRetries, timeout, deadline, signal, read, repeat } = call;
    if (maxRetries === undefined && timeout === undefined && deadline === undefined && !signal && !read && !repeat) return defaults;
    return {
      ...defaults,
      maxRetries: maxRetries ?? defaults.maxRetries,
      timeout: timeout ?? defaults.timeout,
      deadline: deadline ?? defaults.deadline,
      signal,
      read,
      repeat,
    };
  };

  const transport: Transport = {
    send: (request, call = {}) => sendWithRetries(request, send, settingsFor(call)),
    fetch: async (request) => toResponse(await transport.send(await fromRequest(request), { signal: request.signal })),
  };
  return transport;
}
