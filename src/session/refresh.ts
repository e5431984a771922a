// Single-flight token refresh. Any number of requests that need a refresh share one
// `POST /auth/refresh`; the new pair reaches `onTokens` and the store before any of them uses
// it; a refresh token that was spent, or may have been, is never sent again by this client
// (seed 002: a replayed refresh token revokes the whole family).
import { APIError } from '../errors/api-error.js';
import { APIConnectionError, neverReachedServer } from '../errors/transport.js';
import { SessionExpiredError } from '../errors/session.js';
import type { Logger } from '../logger.js';
import { expiresAt, type SessionTokens, type TokenStore } from './tokens.js';

export interface RefresherOptions {
  store: TokenStore;
  /** Sends the refresh request; resolves to the new pair or throws the API/transport error. */
  exchange: (refreshToken: string) => Promise<SessionTokens>;
  onTokens?: ((tokens: SessionTokens) => void | Promise<void>) | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
  /** Refresh when the access token has less than this left (ms). */
  margin: number;
  logger: Logger;
}

export interface Refresher {
  /** A valid pair: the stored one, or a refreshed one when it is about to expire (sync when the store is). */
  current(): SessionTokens | undefined | Promise<SessionTokens | undefined>;
  /** Refreshes unless someone already replaced `staleAccessToken`; one request at a time. */
  refresh(staleAccessToken: string): Promise<SessionTokens>;
  /** The pair once no refresh is under way (for logout, which must send the newest token). */
  settled(): Promise<SessionTokens | undefined>;
}

/** A rejection that means the refresh token is dead, not that the network hiccuped. */
function isFinal(error: unknown): error is APIError {
  return error instanceof APIError && [400, 401, 403, 404, 422].includes(error.status);
}

/** A failure after which the server may or may not have spent the token (the request left). */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof APIConnectionError && !neverReachedServer(error);
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { store, margin } = options;
  let inflight: Promise<SessionTokens> | undefined;
  /** Refresh tokens this client sent and must never send again. */
  const spent = new Set<string>();
  /** The newest pair, kept here even if `onTokens` or the store failed to take it. */
  let latest: SessionTokens | undefined;

  const nearExpiry = (tokens: SessionTokens) => {
    const at = expiresAt(tokens);
    return at !== undefined && at - Date.now() <= margin;
  };
  const freshest = (tokens: SessionTokens | undefined) => (tokens && spent.has(tokens.refreshToken) ? latest : tokens);

  async function end(message: string, reason: string | undefined, cause: unknown): Promise<never> {
    const expired = new SessionExpiredError(message, reason, { cause });
    latest = undefined;
    await store.set(undefined);
    options.onSessionExpired?.(expired);
    throw expired;
  }

  async function exchange(stale: string): Promise<SessionTokens> {
    const tokens = freshest(await store.get());
    if (!tokens) throw new SessionExpiredError('There is no session: sign in first.', undefined);
    // Another request, tab or process refreshed while we waited for the lock: use its pair.
    if (tokens.accessToken !== stale && !nearExpiry(tokens)) return tokens;
    let next: SessionTokens;
    try {
      next = await options.exchange(tokens.refreshToken);
    } catch (error) {
      if (isFinal(error)) {
        spent.add(tokens.refreshToken);
        return end(`The session has ended (${error.reason ?? `HTTP ${error.status}`}): sign in again.`, error.reason, error);
      }
      if (outcomeUnknown(error)) {
        // The request left and no answer came back: the server may have rotated the token.
        // Sending it again could revoke the whole family, so this session ends here.
        spent.add(tokens.refreshToken);
        return end('The token refresh got no answer, and its refresh token may be spent: sign in again.', undefined, error);
      }
      throw error; // refused connection, 5xx, 429: nothing was spent, the session lives on
    }
    spent.add(tokens.refreshToken);
    latest = next;
    try {
      await options.onTokens?.(next);
      await store.set(next);
    } catch (error) {
      // The pair is valid and kept in memory; failing the request would only lose it.
      options.logger.error('onTokens or the token store failed; the new pair is kept in memory', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    return next;
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
      const check = (stored: SessionTokens | undefined) => {
        const tokens = freshest(stored);
        return tokens && nearExpiry(tokens) ? refresh(tokens.accessToken) : tokens;
      };
      const stored = store.get();
      return stored instanceof Promise ? stored.then(check) : check(stored);
    },
    refresh,
    async settled() {
      if (inflight) await inflight.catch(() => undefined);
      return freshest(await store.get());
    },
  };
}
