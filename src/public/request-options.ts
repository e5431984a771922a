// Per-call options: what every method takes as its last argument (resource methods, the raw
// client's `GET`/`POST`/..., `files.upload`/`download`, `session.*`), passed whole to the
// pipeline, where they are merged with the client's options in one place.
import type { Hooks } from './events.js';

/**
 * Options of one call. Each one overrides the client option of the same name for this call
 * alone; `headers` and `hooks` add to the client's.
 */
export interface RequestOptions {
  /**
   * Aborts the call, including any wait between retries or in the rate-limit queue.
   * @default undefined
   * @example await coveton.apiKeys.list({}, { signal: AbortSignal.timeout(5_000) })
   */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds one attempt may take, for this call (validated like the client option).
   * @default the client's `timeout`
   * @example await coveton.files.download(id, { timeout: 300_000 })
   */
  timeout?: number | undefined;
  /**
   * Milliseconds the whole call may take, every attempt and wait included. For `files.upload`
   * and `download` it covers the presign, the transfer and their retries together.
   * @default the client's `deadline`
   * @example await coveton.apiKeys.get(id, { deadline: 2_000 })
   */
  deadline?: number | undefined;
  /**
   * Retries for this call, 0 to 10.
   * @default the client's `maxRetries`
   * @example await coveton.apiKeys.create(body, { maxRetries: 0 })
   */
  maxRetries?: number | undefined;
  /**
   * The `Idempotency-Key` to send, where the operation takes one. An empty string counts as
   * none (the API refuses an empty key).
   * @default a random UUID per call, the same on every retry
   * @example await coveton.apiKeys.create(body, { idempotencyKey: `create-${jobId}` })
   */
  idempotencyKey?: string | undefined;
  /**
   * Extra headers for this call's API requests, over the client's `headers`. Presigned storage
   * URLs never get them: they carry only what the presign answer lists. A header of the
   * connection's own (`host`, `transfer-encoding`...) is a `CovetonInputError`, here and in the client's.
   * @default {}
   * @example await coveton.apiKeys.list({}, { headers: { 'X-Trace-Id': traceId } })
   */
  headers?: Record<string, string> | undefined;
  /**
   * Hooks for this call's requests, run after the client's own `hooks` (both run).
   * @default undefined
   * @example await coveton.apiKeys.get(id, { hooks: { onResponse: (e) => console.log(e.status, e.duration) } })
   */
  hooks?: Hooks | undefined;
}

