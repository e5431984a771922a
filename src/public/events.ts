// What the SDK tells the hooks a user gives it (`hooks` on createCoveton and on every call).
// Events never hold a credential, a body or a query string.
import type { CovetonError } from '../errors/base.js';

/** What every event says about the attempt it belongs to. */
export interface AttemptInfo {
  /**
   * What the request is, with few distinct values (a good span or metric name): `METHOD
   * /path/template` for API operations (`GET /api-keys/{id}`), `POST /auth/refresh` for the token
   * refresh, `PUT (presigned storage URL)` and `GET (presigned storage URL)` for file transfers.
   */
  readonly endpoint: string;
  readonly method: string;
  /** Origin and path only: no query string, no `user:password@`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry; a followed redirect or a renewal keeps the number. */
  readonly attempt: number;
  /** Milliseconds since the call started (queue waits and earlier attempts included). */
  readonly elapsed: number;
}

/** Told to `onRequest` as an attempt starts, before its credential is added. */
export interface RequestEvent extends AttemptInfo {
  /**
   * The attempt's headers (names in lower case) as they are before the credential is added;
   * any header that could carry a credential (`authorization`, `x-api-key`, `cookie`,
   * `proxy-authorization`) or a known secret shows `[REDACTED]`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Adds a header to this attempt (a trace context such as `traceparent`). The authenticator
   * sees it, so a request signature covers it. A hook cannot change the outcome through it: a
   * credential, `proxy-*` or `content-*` header, the connection's own (`host`, `connection`,
   * `transfer-encoding`...), `idempotency-key`, a method override (`x-http-method-override`...),
   * a name that is not a token, or a bad value is refused with a `CovetonInputError` thrown
   * inside the hook: it is logged as a failed hook and the call goes on without that header.
   */
  setHeader(name: string, value: string): void;
}

/**
 * Told to `onResponse` once per attempt, when it ends: with the status, or with the error when no
 * response came. A download as a stream (`files.download(id, { as: 'stream' })`) ends with its
 * body: when it has been read to its end, cancelled, or broke (then with the error the reader
 * got); a stream that is neither read to its end nor cancelled is never reported.
 */
export interface ResponseEvent extends AttemptInfo {
  /** The very object `onRequest` was given for this attempt (a key for a WeakMap of spans). */
  readonly request: RequestEvent;
  /** The HTTP status, or undefined when the attempt got no response (connection error, timeout, abort). */
  readonly status: number | undefined;
  /** Why the attempt got no response (or ended before it was sent, or its streamed body broke), when it did not. */
  readonly error: CovetonError | undefined;
  /** Milliseconds the attempt took, from `onRequest` to its end (the body read included). */
  readonly duration: number;
  /** The response's `X-Request-Id`, redacted, when it carried one. */
  readonly requestId: string | undefined;
}

/** Told to `onRetry` before each retry. */
export interface RetryEvent extends AttemptInfo {
  /** The number of the attempt about to be made: 2 for the first retry. */
  readonly attempt: number;
  /** Milliseconds the SDK waits before it. */
  readonly delay: number;
  /** Why: the API error of the failed response, or the connection or timeout error. */
  readonly cause: CovetonError;
}

/**
 * Callbacks for every request the SDK sends: resource methods, the raw client, file transfers
 * (the presign, and the storage PUT or GET) and the token refresh. A hook that throws (or
 * returns a promise that rejects) is logged at `warn` and the call goes on as if it had not
 * been there: hooks observe, they never change a call's outcome. Given on `createCoveton` and
 * on a call, both run, the client's first. One object each: an array, or a key that reads as a
 * hook but is none (a function under a key that begins with "on" in any case: `onrequest`,
 * `onerror`, `OnError`, `onResponce`), is a `CovetonInputError` naming it. Other keys are left
 * alone: state (`onHold: []`, `ongoing`) and helpers not named "on...".
 */
export interface Hooks {
  /**
   * An attempt starts.
   * @example createCoveton({ hooks: { onRequest: (e) => e.setHeader('x-trace-id', traceId()) } })
   */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /**
   * An attempt ended, with a response or without one (then `status` is undefined and `error` says why).
   * @example createCoveton({ hooks: { onResponse: (e) => metrics.timing(e.endpoint, e.duration, { status: e.status }) } })
   */
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  /**
   * The SDK is about to wait `delay` ms and send the request again.
   * @example createCoveton({ hooks: { onRetry: ({ attempt, delay, cause }) => metrics.count('retry', { attempt }) } })
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}
