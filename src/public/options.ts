// The options of createCoveton: every field a user may set, with its default and an example.
import type { Authenticator } from './auth.js';
import type { Hooks } from './events.js';
import type { Logger, LogLevel } from './logger.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { SessionOptions } from './session.js';


/** The API's hosts (API brief: Base URLs). */
export const ENVIRONMENTS = {
  production: 'https://api.coveton.com/v1',
  sandbox: 'https://sandbox.api.coveton.com/v1',
} as const;

export type Environment = keyof typeof ENVIRONMENTS;

/** Options of {@link createCoveton}. Every one is optional. */
export interface CovetonOptions extends SessionOptions {
  /**
   * Where requests go. Not with `environment` (a `CovetonInputError` naming both).
   * @default the URL of `environment` if given, else process.env.COVETON_BASE_URL, else production's
   * @example createCoveton({ baseUrl: 'http://127.0.0.1:4010' }) // a local mock
   */
  baseUrl?: string | undefined;
  /**
   * Which Coveton host to call. Wins over `COVETON_BASE_URL`: code beats the environment.
   * @default 'production', or COVETON_BASE_URL when set
   * @example createCoveton({ environment: 'sandbox' })
   */
  environment?: Environment | undefined;
  /**
   * An API key secret (`ak_live_...` or `ak_test_...`). Never logged, never in an error message.
   * @default process.env.COVETON_API_KEY
   * @example createCoveton({ apiKey: process.env.MY_COVETON_KEY })
   */
  apiKey?: string | undefined;
  /**
   * How the key is sent: `Authorization: Bearer <key>`, or the `X-API-Key` header.
   * @default 'bearer'
   * @example createCoveton({ apiKey, apiKeyHeader: 'x-api-key' })
   */
  apiKeyHeader?: 'bearer' | 'x-api-key' | undefined;
  /**
   * Your own authentication scheme (request signing, OAuth client credentials, a static bearer
   * token), in place of `apiKey`: it sees each API request whole and sets its headers. A
   * signed-in session's token still wins while there is one.
   * @default the API key (`apiKey`), if any
   * @example createCoveton({ auth: bearerAuth(process.env.COVETON_TOKEN!) })
   */
  auth?: Authenticator | undefined;
  /**
   * The fetch to send requests with (a proxy agent, a test double, an instrumented fetch). It is
   * called with one `Request` of the runtime's own class. A fetch that knows only its own
   * `Request` class (npm undici's reads any other as the URL `[object Request]`) takes the parts:
   * `(r) => undiciFetch(r.url, { method: r.method, headers: r.headers, body: r.body, duplex: 'half', redirect: r.redirect, signal: r.signal })`
   * (with the type casts the runtimes guide shows).
   * @default globalThis.fetch
   * @example createCoveton({ fetch: (request) => myFetch(request) })
   */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /**
   * Retries after a transient failure (connection error, attempt timeout, 408, 429, 500,
   * 502, 503, 504), for requests that are safe to repeat: idempotent methods, or any request
   * carrying an `Idempotency-Key`. `0` turns retries off.
   * @default 2
   * @example createCoveton({ maxRetries: 5 })
   */
  maxRetries?: number | undefined;
  /**
   * Milliseconds one attempt may take, response body included. A timed-out attempt is retried
   * when safe.
   * @default 60000
   * @example createCoveton({ timeout: 10_000 })
   */
  timeout?: number | undefined;
  /**
   * Milliseconds the whole call may take, every attempt and every wait included. Without it,
   * `timeout` and the retries bound the call.
   * @default undefined (no overall deadline)
   * @example createCoveton({ timeout: 5_000, deadline: 12_000 })
   */
  deadline?: number | undefined;
  /**
   * The longest `Retry-After` the SDK will wait for; a longer one fails the call at once with
   * the `RateLimitedError` (or the server's error) instead of hanging.
   * @default 60000
   * @example createCoveton({ maxRetryAfter: 5_000 })
   */
  maxRetryAfter?: number | undefined;
  /**
   * The backoff schedule: base = min(initialDelay * 2^(retry - 1), maxDelay), less up to
   * `jitter` of it at random.
   * @default { initialDelay: 500, maxDelay: 8000, jitter: 0.25 }
   * @example createCoveton({ backoff: { initialDelay: 100, maxDelay: 2000 } })
   */
  backoff?: BackoffOptions | undefined;
  /**
   * Callbacks for every request the client sends (API calls, file transfers, the token
   * refresh): `onRequest` and `onResponse` once per attempt, `onRetry` before each retry. A
   * call's own `hooks` run after these. See the guide "Hooks and tracing".
   * @default undefined
   * @example createCoveton({ hooks: { onRetry: ({ attempt, delay, cause }) => metrics.count('retry', { attempt }) } })
   */
  hooks?: Hooks | undefined;
  /**
   * Where log lines go. Lines never contain credentials, bodies or query strings.
   * @default console
   * @example createCoveton({ logger: pino(), logLevel: 'debug' })
   */
  logger?: Logger | undefined;
  /**
   * The least severe level written.
   * @default process.env.COVETON_LOG, else 'warn'
   * @example createCoveton({ logLevel: 'debug' })
   */
  logLevel?: LogLevel | undefined;
  /**
   * Headers added to every request.
   * @default {}
   * @example createCoveton({ headers: { 'X-Trace-Id': traceId } })
   */
  headers?: Record<string, string> | undefined;
  /**
   * Prepended to the SDK's own `User-Agent` (not sent from browsers, which forbid it).
   * @default undefined
   * @example createCoveton({ userAgent: 'acme-sync/2.1' })
   */
  userAgent?: string | undefined;
  /**
   * Client-side rate limiting: requests wait in an ordered queue while the server's budget is
   * spent, and a 429 pauses the whole queue for its Retry-After. `false` turns it off.
   * @default {} (on, following the server's X-RateLimit-* figures)
   * @example createCoveton({ rateLimit: { maxConcurrent: 4, budget: { requests: 100, interval: 60_000 } } })
   */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * The largest response body, in bytes after decompression, that the SDK reads into memory (a
   * JSON answer, an error page, a file downloaded as bytes); a larger one fails the call with
   * `BodyTooLargeError`. Download big files with `as: 'stream'`: the stream is held to the file's
   * declared size instead or, for a file stored with a Content-Encoding (decoded on the way), to
   * the larger of that size and this cap (`UnexpectedResponseError` past it).
   * @default 8388608 (8 MiB)
   * @example createCoveton({ maxResponseBytes: 64 * 1024 * 1024 })
   */
  maxResponseBytes?: number | undefined;
  /**
   * Node only: the HTTP(S) proxy every request goes through, or `false` for none. By default
   * the SDK follows `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (read as curl reads it: host
   * names and their sub-domains, IPv4 and IPv6 addresses, CIDR ranges, `:port`, `*`). Ignored where `fetch` is the
   * transport (browsers, Deno, Bun, workers) and when you pass your own `fetch`.
   * @default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
   * @example createCoveton({ proxy: 'http://proxy.internal:3128' })
   */
  proxy?: string | false | undefined;
  /**
   * Lets an API key secret be used in a browser page. Off, `createCoveton` refuses an `apiKey` in
   * a browser, because every visitor of the page can read it; browser apps sign their users in
   * (sessions) instead. Turn it on only for a page used by the key's owner alone (an internal
   * tool on a trusted machine). Has no effect outside browser pages (Node, Deno, Bun, workers).
   * @default false
   * @example createCoveton({ apiKey: ownKey, dangerouslyAllowBrowser: true }) // a personal admin page
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

export interface BackoffOptions {
  /**
   * The first wait, in whole milliseconds, from 0 to `maxDelay`: above it, `createCoveton` throws
   * `CovetonInputError` (field `backoff.initialDelay`) naming both values.
   * @default 500, or `maxDelay` if that is smaller
   */
  initialDelay?: number | undefined;
  /** The longest wait, in whole milliseconds (0 to 2^31-1). @default 8000 */
  maxDelay?: number | undefined;
  /** Fraction of the delay removed at random, 0 to 1. @default 0.25 */
  jitter?: number | undefined;
}
