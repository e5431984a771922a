// Credentials are set on each attempt, so that a retry (or a resend after a refresh) always
// carries the current one. They go only to the API's own origin: never to a presigned URL.
import type { ResolvedOptions } from './options.js';
import type { Layer } from './outgoing.js';
import { VERSION } from './version.js';

const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';

/** True when `url` is on the API's origin (a string test: this runs on every attempt). */
export function onOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && (url.length === origin.length || url[origin.length] === '/');
}

/** Adds the SDK's identity and the configured headers, without overriding per-call ones. */
export function defaultHeaders(options: ResolvedOptions): Layer {
  const agent = `${options.userAgent ? `${options.userAgent} ` : ''}coveton-sdk-ts/${VERSION}`;
  const extra = Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), value] as const);
  return (next) => (request, signal) => {
    const headers = request.headers;
    for (const [name, value] of extra) if (!(name in headers)) headers[name] = value;
    if (!isBrowser) headers['user-agent'] = agent;
    return next(request, signal);
  };
}

/** Sends the API key as a bearer token or as `X-API-Key`, unless the call set its own credential. */
export function apiKeyAuth(options: ResolvedOptions): Layer {
  const origin = new URL(options.baseUrl).origin;
  return (next) => (request, signal) => {
    const key = options.apiKey;
    const headers = request.headers;
    if (key && !('authorization' in headers) && !('x-api-key' in headers) && onOrigin(request.url, origin)) {
      if (options.apiKeyHeader === 'x-api-key') headers['x-api-key'] = key;
      else headers.authorization = `Bearer ${key}`;
    }
    return next(request, signal);
  };
}
