// Single-flight token refresh. Any number of requests that need a refresh share one
// `POST /auth/refresh`; the new pair reaches `onTokens` and the store before any of them uses
// it; a refresh token that was spent, or may have been, is never sent again by this client
// (seed 002: a replayed refresh token revokes the whole family). With a shared store, the
// lock makes it one refresh for the whole fleet, and `claim` keeps a refresh token that a dead
// lock holder may have spent from being sent by the next one.
import { APIError } from '../errors/api-error.js';
import { CovetonError, errorName } from '../errors/base.js';
import { TokenDecryptError, TokenStoreError } from '../errors/store.js';
import { APIConnectionError, neverReachedServer } from '../errors/transport.js';
import { SessionExpiredError } from '../errors/session.js';
import { bounded } from './bounded.js';
import { clockSkew, expiresAt, isTokenPair } from './tokens.js';
import type { Logger } from '../public/logger.js';
import type { SessionTokens, TokenStore } from '../public/session.js';

export interface RefresherOptions {
  store: TokenStore;
  /** Sends the refresh request; resolves to the new pair or throws the API/transport error. */
  exchange: (refreshToken: string) => Promise<SessionTokens>;
  onTokens?: ((tokens: SessionTokens) => void | Promise<void>) | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
  /** Refresh when the access token has less than this left (ms). */
  margin: number;
  /** The longest wait for one store operation or for `onTokens` (ms). */
  storeTimeout: number;
  logger: Logger;
}

export interface Refresher {
  /** A valid pair: the stored one, or a refreshed one when it is about to expire (sync when the store is). */
  current(): SessionTokens | undefined | Promise<SessionTokens | undefined>;
  /** Refreshes unless someone already replaced `staleAccessToken`; one request at a time. */
  refresh(staleAccessToken: string): Promise<SessionTokens>;
  /** The pair once no refresh is under way (for logout, which must send the newest token). */
  settled(signal?: AbortSignal): Promise<SessionTokens | undefined>;
  /** A pair that just came from the server (login): learns the clock skew from it. */
  arrived(tokens: SessionTokens): void;
}

/** A rejection that means the refresh token is dead, not that the network hiccuped. */
function isFinal(error: unknown): error is APIError {
  return error instanceof APIError && [400, 401, 403, 404, 422].includes(error.status);
}

/** A failure after which the server may or may not have spent the token (the request left). */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof APIConnectionError && !neverReachedServer(error);
}

/** The server answered 2xx (it took the token) but the answer was unusable: not JSON, not a pair. */
function answeredUnusably(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 200 && status < 300;
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { store, margin, storeTimeout, logger } = options;
  let inflight: Promise<SessionTokens> | undefined;
  /** Refresh tokens this client sent (or saw claimed) and must never send again. */
  const spent = new Set<string>();
  /** The newest usable pair this client has seen, kept even if `onTokens` or the store failed to take it. */
  let latest: SessionTokens | undefined;
  /** This clock minus the server's (ms), learned from the pairs this client received. */
  let skew = 0;
  let storeDown = false;

  const nearExpiry = (tokens: SessionTokens) => {
    const at = expiresAt(tokens, skew);
    return at !== undefined && at - Date.now() <= margin;
  };
  const arrived = (tokens: SessionTokens) => {
    skew = clockSkew(tokens) ?? skew;
  };
  /** A pair the store failed to take (Redis down right after a refresh): stored again on the next read. */
  let unsaved: SessionTokens | undefined;
  let saving = false;
  const save = async (tokens: SessionTokens) => {
    saving = true;
    try {
      await bounded(store.set(tokens), 'set', storeTimeout);
      if (unsaved === tokens) unsaved = undefined;
    } catch (error) {
      unsaved = tokens;
      logger.error('the token store did not take the new pair; it is kept in memory and stored again later', {
        error: errorName(error),
      });
    } finally {
      saving = false;
    }
  };
  /** What the store holds, unless its refresh token is spent: then the pair we got for it. */
  const freshest = (value: SessionTokens | undefined) => {
    const stored = isTokenPair(value) ? value : undefined; // a store holding garbage holds no session
    if (stored && spent.has(stored.refreshToken)) {
      if (unsaved && unsaved === latest && !saving) void save(unsaved);
      return latest;
    }
    latest = stored;
    return stored;
  };
  const read = async () => {
    const stored = await bounded(store.get(), 'get', storeTimeout);
    if (storeDown) logger.info('the token store answers again');
    storeDown = false;
    return freshest(stored);
  };

  async function end(message: string, reason: string | undefined, cause: unknown): Promise<never> {
    const expired = new SessionExpiredError(message, reason, { cause });
    latest = undefined;
    try {
      await bounded(store.set(undefined), 'set', storeTimeout);
    } catch {
      logger.error('the token store did not take the end of the session');
    }
    options.onSessionExpired?.(expired);
    throw expired;
  }

  async function exchange(stale: string): Promise<SessionTokens> {
    // Read again under the lock: another request, tab or process may have refreshed meanwhile.
    const tokens = await read();
    if (!tokens) throw new SessionExpiredError('There is no session: sign in first.', undefined);
    if (tokens.accessToken !== stale && !nearExpiry(tokens)) return tokens;
    if (store.claim && !(await bounded(store.claim(tokens.refreshToken), 'claim', storeTimeout))) {
      // Someone sent this refresh token already. If they stored the pair they got, use it.
      const again = await read();
      if (again && again.refreshToken !== tokens.refreshToken) return again;
      spent.add(tokens.refreshToken);
      return end('An earlier holder of the session lock sent this refresh token and never stored the pair it got: sign in again.', undefined, undefined);
    }
    let next: SessionTokens;
    try {
      next = await options.exchange(tokens.refreshToken);
    } catch (error) {
      if (isFinal(error)) {
        spent.add(tokens.refreshToken);
        return end(`The session has ended (${error.reason ?? `HTTP ${error.status}`}): sign in again.`, error.reason, error);
      }
      if (answeredUnusably(error)) {
        spent.add(tokens.refreshToken);
        return end('The token refresh answered without a usable token pair, and its refresh token is spent: sign in again.', undefined, error);
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
    if (!isTokenPair(next)) {
      // A `200 {}`, a proxy's HTML page: the server took the token and gave nothing usable back.
      return end('The token refresh answered without a usable token pair, and its refresh token is spent: sign in again.', undefined, undefined);
    }
    arrived(next);
    latest = next;
    // Neither failure fails the request: the pair is valid and kept in memory.
    try {
      await bounded(options.onTokens?.(next), 'onTokens', storeTimeout, undefined, false);
    } catch (error) {
      logger.error('onTokens failed; the new pair is kept in memory', { error: errorName(error) });
    }
    await save(next);
    return next;
  }

  /** The lock's own failures (never the refresh's errors, which are the SDK's) become TokenStoreError. */
  async function locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await store.lock!(fn);
    } catch (error) {
      if (error instanceof CovetonError) throw error;
      throw new TokenStoreError('lock', 'The token store could not lock the session: no refresh was sent.', { cause: error });
    }
  }

  function refresh(stale: string): Promise<SessionTokens> {
    inflight ??= (store.lock ? locked(() => exchange(stale)) : exchange(stale)).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /**
   * The store failed: go on with the last pair while it is valid; a refresh needs the store.
   * A stored pair that does not open is no outage but a wrong key or tampering: fail closed.
   */
  const withoutStore = (error: unknown) => {
    if (error instanceof TokenDecryptError) throw error;
    const tokens = latest;
    if (!storeDown) logger.warn('the token store is unreachable; using the last pair while it lasts', { error: errorName(error) });
    storeDown = true;
    if (tokens && !nearExpiry(tokens)) return tokens;
    throw error;
  };

  return {
    current() {
      if (inflight) return inflight;
      const check = (stored: SessionTokens | undefined) => {
        if (storeDown) logger.info('the token store answers again');
        storeDown = false;
        const tokens = freshest(stored);
        return tokens && nearExpiry(tokens) ? refresh(tokens.accessToken) : tokens;
      };
      let stored: ReturnType<TokenStore['get']>;
      try {
        stored = store.get();
      } catch (error) {
        return withoutStore(error);
      }
      if (!(stored instanceof Promise)) return check(stored);
      return (bounded(stored, 'get', storeTimeout) as Promise<SessionTokens | undefined>).then(check, withoutStore);
    },
    refresh,
    async settled(signal) {
      if (inflight) await bounded(inflight.catch(() => undefined), 'refresh', Infinity, signal);
      try {
        return freshest(await bounded(store.get(), 'get', storeTimeout, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        return latest;
      }
    },
    arrived,
  };
}
