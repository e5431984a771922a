// The few types of src/ that generated/ uses: generated code depends on this module and on
// nothing else of the SDK, so the layers stay one-way (src/ reads generated/, never the reverse
// beyond these declarations).
export type { PagePromise } from './pagination.js';

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
  /**
   * A list with `limit` and `before` (the method returns a PagePromise): the spec's default
   * `limit`, and the smallest and largest it allows. Undefined for any other operation.
   */
  readonly pageSize?: readonly [defaultLimit: number, min: number, max: number];
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
export type { RequestOptions } from '../public/request-options.js';
