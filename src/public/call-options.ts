// Per-call options: what a user may pass as the last argument of any method.

/** Per-call settings of a resource method. */
export interface CallOptions {
  /** Aborts the call, including any wait between retries or in the rate-limit queue. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt `timeout` for this call (validated like the client option). */
  timeout?: number;
  /** Overrides the client's `deadline` for this call (validated like the client option). */
  deadline?: number;
  /** Overrides the client's `maxRetries` for this call (0 to 10, like the client option). */
  maxRetries?: number;
  /** The `Idempotency-Key` to send, where the operation takes one. @default a random UUID per call */
  idempotencyKey?: string;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}
