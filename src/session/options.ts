import type { SessionExpiredError } from '../errors/session.js';
import type { SessionTokens, TokenStore } from './tokens.js';

/** Options for a client that acts as a signed-in user instead of with an API key. */
export interface SessionOptions {
  /**
   * A user access token (a JWT, 15 minutes) to start with, with its `refreshToken`.
   * @default undefined
   * @example createCoveton({ accessToken: saved.accessToken, refreshToken: saved.refreshToken })
   */
  accessToken?: string;
  /**
   * The refresh token that goes with `accessToken`. It rotates on every refresh.
   * @default undefined
   * @example createCoveton({ accessToken, refreshToken })
   */
  refreshToken?: string;
  /**
   * Where the pair lives. Share one store (with a `lock`) between clients, processes or tabs
   * that share a session, so that only one of them refreshes. For a fleet of processes, use
   * `redisTokenStore` from `@coveton/sdk/redis`.
   * @default an in-memory store of this client only
   * @example createCoveton({ tokenStore: { get: () => load(), set: (t) => save(t), lock: (fn) => navigator.locks.request('coveton', fn) } })
   */
  tokenStore?: TokenStore;
  /**
   * Receives every new pair before any request uses it: persist it here.
   * @default undefined
   * @example createCoveton({ onTokens: (t) => keychain.save('coveton', t) })
   */
  onTokens?: (tokens: SessionTokens) => void | Promise<void>;
  /**
   * Called once when the session ends for good (refresh token spent, revoked or expired).
   * @default undefined
   * @example createCoveton({ onSessionExpired: () => router.push('/login') })
   */
  onSessionExpired?: (error: SessionExpiredError) => void;
  /**
   * Refresh this many ms before the access token's `exp`, so requests never carry a token
   * about to expire.
   * @default 60000
   * @example createCoveton({ refreshMargin: 120_000 })
   */
  refreshMargin?: number;
  /**
   * The longest the client waits for one token-store operation (get, set, claim) or for
   * `onTokens`, in ms. Past it the call fails with `TokenStoreError`; a refresh that could not
   * read or claim the store is never sent, so its refresh token is not spent.
   * @default 10000
   * @example createCoveton({ tokenStore: redisTokenStore(redis, { key }), storeTimeout: 2_000 })
   */
  storeTimeout?: number;
}
