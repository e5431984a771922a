import { readEnv } from './env.js';
import { CovetonInputError } from './errors/base.js';
import { count, MAX_RETRIES_CAP, millis } from './validate.js';
import { isLogLevel, type Logger, type LogLevel } from './logger.js';
import type { BackoffOptions } from './pipeline/backoff.js';
import type { RetryEvent } from './pipeline/index.js';
import type { RateLimitOptions } from './rate-limiter.js';
import { isBrowserPage } from './runtime.js';
import type { SessionOptions } from './session/options.js';
import { checkBaseUrl } from './url-policy.js';

/** The API's hosts (API brief: Base URLs). */
export const ENVIRONMENTS = {
  production: 'https://api.coveton.com/v1',
  sandbox: 'https://sandbox.api.coveton.com/v1',
} as const;

export type Environment = keyof typeof ENVIRONMENTS;

/** Options of {@link createCoveton}. Every one is optional. */
export interface CovetonOptions extends SessionOptions {
  /**
   * Where requests go. Wins over `environment`.
   * @default process.env.COVETON_BASE_URL, else the URL of `environment`
   * @example createCoveton({ baseUrl: 'http://127.0.0.1:4010' }) // a local mock
   */
  baseUrl?: string;
  /**
   * Which Coveton host to call when `baseUrl` is not set.
   * @default 'production'
   * @example createCoveton({ environment: 'sandbox' })
   */
  environment?: Environment;
  /**
   * An API key secret (`ak_live_...` or `ak_test_...`). Never logged, never in an error message.
   * @default process.env.COVETON_API_KEY
   * @example createCoveton({ apiKey: process.env.MY_COVETON_KEY })
   */
  apiKey?: string;
  /**
   * How the key is sent: `Authorization: Bearer <key>`, or the `X-API-Key` header.
   * @default 'bearer'
   * @example createCoveton({ apiKey, apiKeyHeader: 'x-api-key' })
   */
  apiKeyHeader?: 'bearer' | 'x-api-key';
  /**
   * The fetch to send requests with (a proxy agent, a test double, an instrumented fetch).
   * @default globalThis.fetch
   * @example createCoveton({ fetch: (request) => myFetch(request) })
   */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * Retries after a transient failure (connection error, attempt timeout, 408, 429, 500,
   * 502, 503, 504), for requests that are safe to repeat: idempotent methods, or any request
   * carrying an `Idempotency-Key`. `0` turns retries off.
   * @default 2
   * @example createCoveton({ maxRetries: 5 })
   */
  maxRetries?: number;
  /**
   * Milliseconds one attempt may take, response body included. A timed-out attempt is retried
   * when safe.
   * @default 60000
   * @example createCoveton({ timeout: 10_000 })
   */
  timeout?: number;
  /**
   * Milliseconds the whole call may take, every attempt and every wait included. Without it,
   * `timeout` and the retries bound the call.
   * @default undefined (no overall deadline)
   * @example createCoveton({ timeout: 5_000, deadline: 12_000 })
   */
  deadline?: number;
  /**
   * The longest `Retry-After` the SDK will wait for; a longer one fails the call at once with
   * the `RateLimitedError` (or the server's error) instead of hanging.
   * @default 60000
   * @example createCoveton({ maxRetryAfter: 5_000 })
   */
  maxRetryAfter?: number;
  /**
   * The backoff schedule: base = min(initialDelay * 2^(retry - 1), maxDelay), less up to
   * `jitter` of it at random.
   * @default { initialDelay: 500, maxDelay: 8000, jitter: 0.25 }
   * @example createCoveton({ backoff: { initialDelay: 100, maxDelay: 2000 } })
   */
  backoff?: BackoffOptions;
  /**
   * Called before every retry with the attempt number, the delay and the cause.
   * @default undefined
   * @example createCoveton({ onRetry: ({ attempt, delay, cause }) => metrics.count('retry', { attempt }) })
   */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Where log lines go. Lines never contain credentials, bodies or query strings.
   * @default console
   * @example createCoveton({ logger: pino(), logLevel: 'debug' })
   */
  logger?: Logger;
  /**
   * The least severe level written.
   * @default process.env.COVETON_LOG, else 'warn'
   * @example createCoveton({ logLevel: 'debug' })
   */
  logLevel?: LogLevel;
  /**
   * Headers added to every request.
   * @default {}
   * @example createCoveton({ headers: { 'X-Trace-Id': traceId } })
   */
  headers?: Record<string, string>;
  /**
   * Prepended to the SDK's own `User-Agent` (not sent from browsers, which forbid it).
   * @default undefined
   * @example createCoveton({ userAgent: 'acme-sync/2.1' })
   */
  userAgent?: string;
  /**
   * Client-side rate limiting: requests wait in an ordered queue while the server's budget is
   * spent, and a 429 pauses the whole queue for its Retry-After. `false` turns it off.
   * @default {} (on, following the server's X-RateLimit-* figures)
   * @example createCoveton({ rateLimit: { maxConcurrent: 4, budget: { requests: 100, interval: 60_000 } } })
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * The largest response body, in bytes after decompression, that the SDK reads into memory (a
   * JSON answer, an error page, a file downloaded as bytes); a larger one fails the call with
   * `BodyTooLargeError`. Download big files with `as: 'stream'`, which has no cap.
   * @default 8388608 (8 MiB)
   * @example createCoveton({ maxResponseBytes: 64 * 1024 * 1024 })
   */
  maxResponseBytes?: number;
  /**
   * Node only: the HTTP(S) proxy every request goes through, or `false` for none. By default
   * the SDK follows `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. Ignored where `fetch` is the
   * transport (browsers, Deno, Bun, workers) and when you pass your own `fetch`.
   * @default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY
   * @example createCoveton({ proxy: 'http://proxy.internal:3128' })
   */
  proxy?: string | false;
  /**
   * Lets an API key secret be used in a browser page. Off, `createCoveton` refuses an `apiKey` in
   * a browser, because every visitor of the page can read it; browser apps sign their users in
   * (sessions) instead. Turn it on only for a page used by the key's owner alone (an internal
   * tool on a trusted machine). Has no effect outside browser pages (Node, Deno, Bun, workers).
   * @default false
   * @example createCoveton({ apiKey: ownKey, dangerouslyAllowBrowser: true }) // a personal admin page
   */
  dangerouslyAllowBrowser?: boolean;
}

export interface ResolvedOptions {
  baseUrl: string;
  apiKey: string | undefined;
  apiKeyHeader: 'bearer' | 'x-api-key';
  fetch: (request: Request) => Promise<Response>;
  /** The caller gave `fetch`: hand it a Request rather than calling the global fetch directly. */
  customFetch: boolean;
  maxRetries: number;
  timeout: number;
  deadline: number;
  maxRetryAfter: number;
  backoff: BackoffOptions;
  onRetry: ((event: RetryEvent) => void) | undefined;
  logger: Logger;
  logLevel: LogLevel;
  headers: Record<string, string>;
  userAgent: string | undefined;
  maxResponseBytes: number;
  proxy: string | false | undefined;
}

const env = readEnv; // never throws (Deno without --allow-env), see env.ts

function proxyOption(value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // fall through to the error
    }
  }
  throw new CovetonInputError('proxy', 'must be an http(s) URL or false');
}

export function resolveOptions(options: CovetonOptions): ResolvedOptions {
  if (options.environment !== undefined && !(options.environment in ENVIRONMENTS)) {
    throw new CovetonInputError('environment', `must be 'production' or 'sandbox', got ${JSON.stringify(options.environment)}`);
  }
  const baseUrl = options.baseUrl ?? env('COVETON_BASE_URL') ?? ENVIRONMENTS[options.environment ?? 'production'];
  checkBaseUrl(baseUrl);
  const apiKeyHeader = options.apiKeyHeader ?? 'bearer';
  if (apiKeyHeader !== 'bearer' && apiKeyHeader !== 'x-api-key') {
    throw new CovetonInputError('apiKeyHeader', "must be 'bearer' or 'x-api-key'");
  }
  const apiKey = options.apiKey ?? env('COVETON_API_KEY');
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey.trim() !== apiKey || apiKey === '')) {
    // Say what is wrong without echoing the key.
    throw new CovetonInputError('apiKey', 'must be a non-empty string without surrounding whitespace');
  }
  if (apiKey !== undefined && options.dangerouslyAllowBrowser !== true && isBrowserPage()) {
    // Anyone who opens the page can read the key: the same refusal as the openai and anthropic SDKs.
    throw new CovetonInputError(
      'apiKey',
      "an API key secret in a browser page is readable by anyone who opens it: sign users in with coveton.session.login instead, or pass dangerouslyAllowBrowser: true for a page only the key's owner uses",
    );
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') throw new CovetonInputError('fetch', 'no fetch in this runtime: pass one');
  const logLevel = options.logLevel ?? env('COVETON_LOG') ?? 'warn';
  if (!isLogLevel(logLevel)) throw new CovetonInputError('logLevel', "must be 'debug', 'info', 'warn', 'error' or 'off'");

  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    apiKeyHeader,
    fetch: fetchImpl,
    customFetch: options.fetch !== undefined,
    maxRetries: count('maxRetries', options.maxRetries, 2, MAX_RETRIES_CAP),
    timeout: millis('timeout', options.timeout, 60_000),
    deadline: millis('deadline', options.deadline, Infinity),
    maxRetryAfter: millis('maxRetryAfter', options.maxRetryAfter, 60_000),
    backoff: options.backoff ?? {},
    onRetry: options.onRetry,
    logger: options.logger ?? console,
    logLevel,
    headers: { ...options.headers },
    userAgent: options.userAgent,
    maxResponseBytes: count('maxResponseBytes', options.maxResponseBytes, 8 * 1024 * 1024, Number.MAX_SAFE_INTEGER),
    proxy: proxyOption(options.proxy),
  };
}
