// Credentials are set on each attempt, so that a retry (or, later, a refresh) always carries
// the current one. They go only to the API's own origin: never to a presigned storage URL.
import type { ResolvedOptions } from './options.js';
import type { Send } from './retry.js';
import { VERSION } from './version.js';

const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';

export type Layer = (next: Send) => Send;

/** Adds the SDK's identity and the configured headers, without overriding per-call ones. */
export function defaultHeaders(options: ResolvedOptions): Layer {
  const agent = `${options.userAgent ? `${options.userAgent} ` : ''}coveton-sdk-ts/${VERSION}`;
  return (next) => (request) => {
    for (const [name, value] of Object.entries(options.headers)) {
      if (!request.headers.has(name)) request.headers.set(name, value);
    }
    if (!isBrowser) request.headers.set('User-Agent', agent);
    request.headers.set('X-Coveton-Client', `typescript/${VERSION}`);
    return next(request);
  };
}

/** Sends the API key as a bearer token or as `X-API-Key`, unless the call set its own credential. */
export function apiKeyAuth(options: ResolvedOptions): Layer {
  const origin = new URL(options.baseUrl).origin;
  return (next) => (request) => {
    const key = options.apiKey;
    const ours = new URL(request.url).origin === origin;
    if (key && ours && !request.headers.has('authorization') && !request.headers.has('x-api-key')) {
      if (options.apiKeyHeader === 'x-api-key') request.headers.set('X-API-Key', key);
      else request.headers.set('Authorization', `Bearer ${key}`);
    }
    return next(request);
  };
}
