// Which credential an attempt carries. An API call
// gets the session's access token (refreshed first when its `exp` is near) or the API key;
// a public operation (login, refresh...) and any other origin get none. After a 401
// `token_expired` the policy (./policy.ts) asks for a renewal, and `renew` runs the shared
// single-flight refresh (src/session/refresh.ts).
import type { ResolvedOptions } from '../options.js';
import type { Credentials } from '../pipeline/index.js';
import type { Refresher } from './refresh.js';
import type { Logger } from '../public/logger.js';
import type { SessionTokens } from '../public/session.js';

/** Waits for the shared refresh, but gives up as soon as this attempt's signal fires. */
function until<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function credentials(options: ResolvedOptions, refresher: Refresher, logger: Logger): Credentials {
  const key = options.apiKey;
  const keyHeader = options.apiKeyHeader === 'x-api-key' ? 'x-api-key' : 'authorization';
  const keyValue = key && (keyHeader === 'authorization' ? `Bearer ${key}` : key);
  let warned = false;

  const withTokens = (tokens: SessionTokens | undefined, headers: Record<string, string>) => {
    if (tokens) {
      headers.authorization = `Bearer ${tokens.accessToken}`;
      return tokens.accessToken;
    }
    if (keyValue) headers[keyHeader] = keyValue;
    else if (!warned) {
      warned = true;
      logger.warn('no credential: pass apiKey or sign in with session.login()');
    }
    return undefined;
  };

  return {
    apply(headers, anonymous, signal) {
      if ('authorization' in headers || 'x-api-key' in headers) return undefined;
      if (anonymous) {
        // A public operation never carries the session (its refresh token would ride along
        // with a login); an API key is the client's identity and goes as usual.
        if (keyValue) headers[keyHeader] = keyValue;
        return undefined;
      }
      const tokens = refresher.current();
      if (tokens instanceof Promise) return until(tokens, signal).then((t) => withTokens(t, headers));
      return withTokens(tokens, headers);
    },
    async renew(stale, signal) {
      return (await until(refresher.refresh(stale), signal)).accessToken;
    },
  };
}
