// The fetch that openapi-fetch calls: retry loop outside, per-attempt layers inside, so the
// raw client and the resource methods go through exactly the same path.
import { apiKeyAuth, defaultHeaders, type Layer } from './auth.js';
import { leveled } from './logger.js';
import type { ResolvedOptions } from './options.js';
import { sendWithRetries, type AttemptGate, type RetrySettings, type Send } from './retry.js';

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
  stream?: boolean;
  repeat?: RetrySettings['repeat'];
}

export type Transport = (request: Request, call?: TransportCall) => Promise<Response>;

export interface TransportParts {
  /** Per-attempt layers after the default headers (auth of one kind or another). */
  layers: Layer[];
  gate?: AttemptGate | undefined;
  secrets: () => readonly (string | undefined)[];
  /** Send nothing of the SDK's own: no User-Agent, no configured headers (presigned storage URLs). */
  plain?: boolean;
}

export function createTransport(options: ResolvedOptions, parts: TransportParts): Transport {
  const logger = leveled(options.logger, options.logLevel);
  const layers: Layer[] = parts.plain ? parts.layers : [defaultHeaders(options), ...parts.layers];
  const send: Send = layers.reduceRight<Send>((next, layer) => layer(next), (request) => options.fetch(request));

  return (request, call = {}) =>
    sendWithRetries(request, send, {
      maxRetries: call.maxRetries ?? options.maxRetries,
      timeout: call.timeout ?? options.timeout,
      deadline: call.deadline ?? options.deadline,
      maxRetryAfter: options.maxRetryAfter,
      backoff: options.backoff,
      onRetry: options.onRetry,
      logger,
      secrets: parts.secrets,
      stream: call.stream,
      signal: call.signal ?? request.signal,
      gate: parts.gate,
      repeat: call.repeat,
    });
}

export { apiKeyAuth };
