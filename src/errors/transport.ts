import { CovetonError } from './base.js';

/**
 * The request never got an HTTP response: connection refused or reset, DNS, TLS. Retried when
 * safe. The message names the host and port, never a path, query or credential.
 */
export class APIConnectionError extends CovetonError {
  override name = 'APIConnectionError';
  /** The socket error code (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, ...), when the runtime gave one. */
  declare readonly code: string | undefined; // assigned by the constructor, as APIError's (./api-error.ts)
  constructor(message: string, options?: { cause?: unknown; code?: string | undefined }) {
    super(message, options);
    this.code = options?.code;
  }
}

/**
 * True when the request provably never reached the server (the connection was refused, or the
 * host did not resolve): only then may a request carrying a one-time credential be sent again.
 */
export function neverReachedServer(error: unknown): boolean {
  if (!(error instanceof APIConnectionError) || error instanceof APITimeoutError) return false;
  return error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN';
}

/**
 * An attempt ran past `timeout` (retried when safe), or the whole call ran past `deadline`
 * (never retried). `kind` says which.
 */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
  constructor(
    readonly kind: 'attempt' | 'deadline',
    readonly ms: number,
  ) {
    super(
      kind === 'attempt'
        ? `Request timed out after ${ms} ms (the per-attempt timeout).`
        : `Request exceeded its deadline of ${ms} ms across all attempts.`,
    );
  }
}

/** The caller's `signal` aborted the call. Never retried. */
export class APIUserAbortError extends CovetonError {
  override name = 'APIUserAbortError';
  constructor(options?: { cause?: unknown }) {
    super('Request was aborted by the caller.', options);
  }
}

/**
 * The server answered with a redirect the SDK will not follow: to another origin, or with a
 * method, body or one-time credential that must not be sent twice. `location` is the target
 * without its query string.
 */
export class RedirectError extends CovetonError {
  override name = 'RedirectError';
  constructor(
    readonly status: number,
    readonly location: string,
    readonly endpoint: string,
    why: string,
  ) {
    super(`${endpoint} answered ${status} with a redirect to ${location || '(hidden)'}; not followed: ${why}.`);
  }
}

/** A response body larger than `maxResponseBytes` (after decompression). Never retried. */
export class BodyTooLargeError extends CovetonError {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`Response body over maxResponseBytes (${limit}).`);
  }
}

/** A success answer that is not what the spec promises (no body, an object for a list...). */
export class UnexpectedResponseError extends CovetonError {
  override name = 'UnexpectedResponseError';
  constructor(
    readonly operation: string,
    readonly status: number,
    what: string,
  ) {
    super(`${operation} answered ${status} with ${what}, against the API contract.`);
  }
}
