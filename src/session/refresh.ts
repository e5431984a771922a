// Single-flight token refresh. Any number of requests that need a refresh share one
// `POST /auth/refresh`; the new pair reaches `onTokens` and the store before any of them uses
// it; a spent refresh token is never sent again by this client.
import { APIError } from '../errors/api-error.js';
import { SessionExpiredError } from '../errors/session.js';
import { expiresAt, type SessionTokens, type TokenStore } from './tokens.js';

export interface RefresherOptions {
  store: TokenStore;
  /** Sends the refresh request; resolves to the new pair or throws the API/transport error. */
  exchange: (refreshToken: string) => Promise<SessionTokens>;
  onTokens?: ((tokens: SessionTokens) => void | Promise<void>) | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
  /** Refresh when the access token has less than this left (ms). */
  margin: number;
}

export interface Refresher {
  /** A valid pair: the stored one, or a refreshed one when it is about to expire (sync when the store is). */
  current(): SessionTokens | undefined | Promise<SessionTokens | undefined>;
  /** Refreshes unless someone already replaced `staleAccessToken`; one request at a time. */
  refresh(staleAccessToken: string): Promise<SessionTokens>;
}

/** A rejection that means the refresh token is dead, not that the network hiccuped. */
function isFinal(error: unknown): error is APIError {
  return error instanceof APIError && [400, 401, 403, 404, 422].includes(error.status);
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { store, margin } = options;
  let inflight: Promise<SessionTokens> | undefined;

  const nearExpiry = (tokens: SessionTokens) => {
    const at = expiresAt(tokens);
    return at !== undefined && at - Date.now() <= margin;
  };

  async function exchange(stale: string): Promise<SessionTokens> {
    const tokens = await store.get();
    if (!tokens) throw new SessionExpiredError('There is no session: sign in first.', undefined);
    // Another request, tab or process refreshed while we waited for the lock: use its pair.
    if (tokens.accessToken !== stale && !nearExpiry(tokens)) return tokens;
    try {
      const next = await options.exchange(tokens.refreshToken);
      await options.onTokens?.(next);
      await store.set(next);
      return next;
    } catch (error) {
      if (!isFinal(error)) throw error; // network, 5xx, 429: the session lives on
      const reason = error.reason;
      const expired = new SessionExpiredError(
        `The session has ended (${reason ?? `HTTP ${error.status}`}): sign in again.`,
        reason,
        { cause: error },
      );
      await store.set(undefined);
      options.onSessionExpired?.(expired);
      throw expired;
    }
  }

  function refresh(stale: string): Promise<SessionTokens> {
    inflight ??= (store.lock ? store.lock(() => exchange(stale)) : exchange(stale)).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    current() {
      if (inflight) return inflight;
      const check = (tokens: SessionTokens | undefined) =>
        tokens && nearExpiry(tokens) ? refresh(tokens.accessToken) : tokens;
      const stored = store.get();
      return stored instanceof Promise ? stored.then(check) : check(stored);
    },
    refresh,
  };
}
