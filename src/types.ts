// The few types of src/ that generated/ uses: generated code depends on this module and on
// nothing else of the SDK, so the layers stay one-way (src/ reads generated/, never the reverse
// beyond these declarations).
export type { PagePromise } from './pagination.js';

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

/** How to call one operation: a row of generated/resources.ts, decoded by src/operations.ts. */
export interface OperationSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Path parameters, in path order; they are the method's first arguments. */
  readonly pathParams: readonly string[];
  readonly body: 'none' | 'optional' | 'required';
  readonly query: 'none' | 'optional' | 'required';
  /** Takes an `Idempotency-Key` header. */
  readonly idempotent: boolean;
  /** A list with `limit` and `before`: the method returns a PagePromise. */
  readonly paginated: boolean;
  readonly defaultLimit: number;
  /** The success answer is a redirect: the method returns its `Location`. */
  readonly redirect: boolean;
  /** `security: []` in the spec: no session token is sent. */
  readonly public: boolean;
  /** Repeat only when the request never reached the server (a one-time credential rides on it). */
  readonly repeat?: 'if-not-sent';
  /** What the success answer holds, per the spec: nothing, a JSON array, a JSON object, or another JSON value. */
  readonly returns: 'nothing' | 'array' | 'object' | 'value';
}

/** The generated table: resource, then method name, then the operation's compact row. */
export type OperationTable = Readonly<Record<string, Readonly<Record<string, string>>>>;
