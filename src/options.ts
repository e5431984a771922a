import { readEnv } from './util/env.js';
import { MAX_TIMER } from './util/timers.js';
import { CovetonInputError } from './errors/base.js';
import { count, fraction, MAX_RETRIES_CAP, millis } from './util/validate.js';
import { isLogLevel } from './util/logger.js';
import { isBrowserPage } from './util/runtime.js';
import { checkBaseUrl } from './transport/url-policy.js';
import type { LogLevel, Logger } from './public/logger.js';
import type { BackoffOptions } from './public/options.js';
import { joinHooks, type HookList } from './pipeline/hooks.js';
import type { Authenticator } from './public/auth.js';
import type { RateLimitOptions } from './public/rate-limit.js';
import type { SessionOptions } from './public/session.js';
import { ENVIRONMENTS, type CovetonOptions } from './public/options.js';

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
  backoff: Required<BackoffOptions>;
  /** The client's hooks, checked. */
  hooks: HookList | undefined;
  /** The caller's own authenticator, in place of the API key. */
  auth: Authenticator | undefined;
  logger: Logger;
  logLevel: LogLevel;
  headers: Record<string, string>;
  userAgent: string | undefined;
  maxResponseBytes: number;
  proxy: string | false | undefined;
}

const env = readEnv; // never throws (Deno without --allow-env), see env.ts

export function resolveOptions(options: CovetonOptions): ResolvedOptions {
  const { environment } = options;
  // Own keys: 'toString' is no host. Both options: ambiguous, as in Stainless clients.
  if (environment !== undefined) {
    if (!Object.hasOwn(ENVIRONMENTS, environment)) throw new CovetonInputError('environment', `must be 'production' or 'sandbox', got ${JSON.stringify(environment)}`);
    if (options.baseUrl !== undefined) throw new CovetonInputError('baseUrl', 'replaces environment: pass one of them');
  }
  // The code beats the process environment (new-user review, findings 1 and 14).
  const baseUrl = options.baseUrl ?? (environment ? ENVIRONMENTS[environment] : env('COVETON_BASE_URL')) ?? ENVIRONMENTS.production;
  checkBaseUrl(baseUrl);
  const apiKeyHeader = options.apiKeyHeader ?? 'bearer';
  if (apiKeyHeader !== 'bearer' && apiKeyHeader !== 'x-api-key') {
    throw new CovetonInputError('apiKeyHeader', "must be 'bearer' or 'x-api-key'");
  }
  const auth = options.auth;
  if (auth !== undefined) {
    if (typeof auth?.authenticate !== 'function' || typeof auth.secrets !== 'function') throw new CovetonInputError('auth', 'needs authenticate() and secrets()');
    if (options.apiKey !== undefined) throw new CovetonInputError('auth', 'replaces apiKey: pass one of them');
  }
  // Your own authenticator replaces the key, COVETON_API_KEY included.
  const apiKey = auth ? undefined : (options.apiKey ?? env('COVETON_API_KEY'));
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
  // Checked as every other duration: a NaN or a negative delay would turn the wait off. A first
  // wait above the longest was cut to it without a word (min() in pipeline/backoff.ts), so maxDelay
  // bounds initialDelay (the message names both values). Left out, initialDelay is 500, or a
  // smaller maxDelay: the waits the default always gave under it.
  const maxDelay = count('backoff.maxDelay', options.backoff?.maxDelay, 8000, 0, MAX_TIMER);
  const initialDelay = count('backoff.initialDelay', options.backoff?.initialDelay, Math.min(500, maxDelay), 0, maxDelay);

  // `proxy` is checked by the Node transport, the only one that uses it (./transport/node-undici.ts).
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    apiKeyHeader,
    fetch: fetchImpl,
    customFetch: options.fetch !== undefined,
    maxRetries: count('maxRetries', options.maxRetries, 2, 0, MAX_RETRIES_CAP),
    timeout: millis('timeout', options.timeout, 60_000),
    deadline: millis('deadline', options.deadline, Infinity),
    maxRetryAfter: millis('maxRetryAfter', options.maxRetryAfter, 60_000),
    backoff: { initialDelay, maxDelay, jitter: fraction('backoff.jitter', options.backoff?.jitter ?? 0.25) },
    hooks: joinHooks(undefined, options.hooks, 'hooks'),
    auth,
    logger: options.logger ?? console,
    logLevel,
    headers: { ...options.headers },
    userAgent: options.userAgent,
    maxResponseBytes: count('maxResponseBytes', options.maxResponseBytes, 8 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER),
    proxy: options.proxy,
  };
}
