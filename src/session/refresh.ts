// Single-flight token refresh: what every request asks of the session. `current()` reads the
// pair from the store and starts a refresh when its access token is near expiry; any number of
// requests that need one share it. The refresh itself (./rotate.ts: the exchange, the lock, the
// end of a session) loads on the first refresh, so a client that never holds a session does not
// carry it. The new pair reaches `onTokens` and the store before any request uses it.
import { errorName } from '../errors/base.js';
import { isDecryptFailure } from '../errors/store.js';
import type { SessionExpiredError } from '../errors/session.js';
import { lazyMethods } from '../util/lazy.js';
import type { Pipeline } from '../pipeline/index.js';
import { bounded } from './bounded.js';
import { clockSkew, expiresAt, isTokenPair } from './tokens.js';
import type { Logger } from '../public/logger.js';
import type { SessionTokens, TokenStore } from '../public/session.js';

export interface RefresherOptions {
  store: TokenStore;
  /** The pipeline the refresh request goes through (no credential, no rate-limit turn), and the API's base URL. */
  pipeline: Pipeline;
  baseUrl: string;
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
  /**
   * Refreshes unless someone already replaced `staleAccessToken`; one request at a time.
   * `lineage`: that of the pair `staleAccessToken` came with (a number: a pair without one,
   * ./credentials.ts `mark`). A stored pair of another lineage (another sign-in's) is neither
   * refreshed nor ended: it is resolved as it is.
   */
  refresh(staleAccessToken: string, lineage: string | number | undefined, confirm?: boolean): Promise<SessionTokens | undefined>;
  /** Rejects with the SessionExpiredError of a call made in a session that ended before it was sent. */
  ended(): Promise<never>;
  /** Tells onSessionExpired of a session another client on the store ended (./credentials.ts `watchedStore`). */
  endedElsewhere(): Promise<void>;
  /** The pair once no refresh is under way (for logout, which must send the newest token). */
  settled(signal?: AbortSignal): Promise<SessionTokens | undefined>;
  /** A pair that just came from the server (login): learns the clock skew from it. */
  arrived(tokens: SessionTokens): void;
}

/** What the refresh (./rotate.ts) shares with the reads here. */
export interface RefreshState {
  readonly options: RefresherOptions;
  /** Refresh tokens this client sent (or saw claimed) and must never send again. */
  readonly spent: Set<string>;
  /** The newest usable pair this client has seen, kept even if `onTokens` or the store failed to take it. */
  latest: SessionTokens | undefined;
  /** What the store holds, unless its refresh token is spent: then the pair we got for it. */
  read(): Promise<SessionTokens | undefined>;
  nearExpiry(tokens: SessionTokens): boolean;
  /** A pair that came from the server: learns the clock skew from it. */
  arrived(tokens: SessionTokens): void;
  /**
   * Set by the refresh (./rotate.ts) once loaded: stores again, over the spent pair `replaces`, a
   * pair the store failed to take. Only a refresh spends a token, so nothing is spent before.
   */
  resave?(replaces: string): void;
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { store, margin, storeTimeout, logger } = options;
  /** The last refresh asked for (settled or not). */
  let inflight: Promise<SessionTokens | undefined> | undefined;
  /** This clock minus the server's (ms), learned from the pairs this client received. */
  let skew = 0;
  let storeDown = false;

  const state: RefreshState = {
    options,
    spent: new Set(),
    latest: undefined,
    nearExpiry: (tokens) => {
      const at = expiresAt(tokens, skew);
      return at !== undefined && at - Date.now() <= margin;
    },
    arrived: (tokens) => {
      // Learnt only from a pair whose own `expiresIn` outlives the margin: one that says it is
      // about to expire while its JWT says 15 minutes would teach a skew that ages every later
      // token, and each call would then spend a refresh token first.
      if (tokens.accessTokenExpiresAt! - Date.now() > margin) skew = clockSkew(tokens) ?? skew;
    },
    read: async () => fresh(await bounded(store.get(), 'get', storeTimeout)),
  };
  const { spent, nearExpiry } = state;
  /** What the store holds, unless its refresh token is spent: then the pair we got for it. */
  const freshest = (value: SessionTokens | undefined) => {
    const stored = isTokenPair(value) ? value : undefined; // a store holding garbage holds no session
    if (stored && spent.has(stored.refreshToken)) {
      state.resave!(stored.refreshToken);
      return state.latest;
    }
    state.latest = stored;
    return stored;
  };
  /** A store read that answered: the store is up again. */
  const fresh = (stored: SessionTokens | undefined) => {
    if (storeDown) logger.info('the token store answers again');
    storeDown = false;
    return freshest(stored);
  };

  const rotate = lazyMethods('token refresh', () => import('./rotate.js').then((m) => m.rotation(state)), ['refresh', 'ended', 'endedElsewhere']);
  // One at a time, shared within a lineage (./rotate.ts). The last one asked for ends after any
  // asked for before it: logout waits for it.
  const refresh = (stale: string, lineage: string | number | undefined, confirm?: boolean) => (inflight = rotate.refresh(stale, lineage, confirm));

  /**
   * The store failed: go on with the last pair while it is valid; a refresh needs the store.
   * A stored pair that does not open is no outage but a wrong key or tampering: fail closed.
   * That is a TokenDecryptError, from this copy of the SDK or another (../errors/store.ts
   * `isDecryptFailure`).
   */
  const withoutStore = (error: unknown) => {
    if (isDecryptFailure(error)) throw error;
    const tokens = state.latest;
    if (!storeDown) logger.warn('the token store is unreachable; using the last pair while it lasts', { error: errorName(error) });
    storeDown = true;
    if (tokens && !nearExpiry(tokens)) return tokens;
    throw error;
  };

  return {
    current() {
      // The store is read even while a refresh is under way: a sign-in meanwhile is the session,
      // and the refreshed pair of the one it replaced goes only to the calls that waited for it.
      // A call that reads the pair being refreshed joins the refresh if it is near expiry, else
      // goes with it (a 401 token_expired has it renewed, within its lineage).
      const check = (stored: SessionTokens | undefined) => {
        const tokens = fresh(stored);
        return tokens && nearExpiry(tokens) ? refresh(tokens.accessToken, tokens.lineage) : tokens;
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
    ended: rotate.ended,
    endedElsewhere: rotate.endedElsewhere,
    async settled(signal) {
      if (inflight) await bounded(inflight.catch(() => undefined), 'refresh', Infinity, signal);
      try {
        return freshest(await bounded(store.get(), 'get', storeTimeout, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        return state.latest;
      }
    },
    arrived: state.arrived,
  };
}
