// Signed-in sessions: the options, the token pair and where it lives (the store interface that
// `@coveton/sdk/redis` implements for fleets), and the sign-in helpers.
import type { AuthSession } from '../../generated/models.js';
import type { SessionOperations } from '../../generated/resources.js';
import type { SessionExpiredError } from '../errors/session.js';
import type { RequestOptions } from './request-options.js';

/** Options for a client that acts as a signed-in user instead of with an API key. */
export interface SessionOptions {
  /**
   * A user access token (a JWT, 15 minutes) to start with, with its `refreshToken`. Not with
   * `tokenStore` (the client would read only the store): save the pair in the store instead;
   * given both, `createCoveton` throws `CovetonInputError` naming `tokenStore`.
   * @default undefined
   * @example createCoveton({ accessToken: saved.accessToken, refreshToken: saved.refreshToken })
   */
  accessToken?: string | undefined;
  /**
   * The refresh token that goes with `accessToken`. It rotates on every refresh.
   * @default undefined
   * @example createCoveton({ accessToken, refreshToken })
   */
  refreshToken?: string | undefined;
  /**
   * Where the pair lives. Share one store (with a `lock`) between clients, processes or tabs
   * that share a session, so that only one of them refreshes. For a fleet of processes, use
   * `redisTokenStore` from `@coveton/sdk/redis`.
   * @default an in-memory store of this client only
   * @example createCoveton({ tokenStore: { get: () => load(), set: (t) => save(t), lock: (fn) => navigator.locks.request('coveton', fn) } })
   */
  tokenStore?: TokenStore | undefined;
  /**
   * Receives every new pair before any request uses it: persist it here. A refreshed pair comes
   * after the token store's write; after a `false` from `set`, only if the store still holds a
   * pair this client spent (see `TokenStore.set`). If it throws or does not settle within `storeTimeout`, the error is
   * logged and the sign-in or the call still resolves: the pair is the session by then.
   * @default undefined
   * @example createCoveton({ onTokens: (t) => keychain.save('coveton', t) })
   */
  onTokens?: ((tokens: SessionTokens) => void | Promise<void>) | undefined;
  /**
   * Called once when the session ends for good: its refresh is refused (the refresh token spent,
   * revoked or expired), including after a call answered 401 `session_revoked` (the session was
   * ended elsewhere: the client then tries one refresh, and its refusal ends the session here).
   * @default undefined
   * @example createCoveton({ onSessionExpired: () => router.push('/login') })
   */
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
  /**
   * Refresh this many ms before the access token's `exp`, so requests never carry a token
   * about to expire.
   * @default 60000
   * @example createCoveton({ refreshMargin: 120_000 })
   */
  refreshMargin?: number | undefined;
  /**
   * The longest the client waits for one token-store operation (get, set, claim) or for
   * `onTokens`, in ms. Past it a store operation fails with `TokenStoreError` (a refresh that
   * could not read or claim the store is never sent); `onTokens` is logged, not waited for.
   * @default 10000
   * @example createCoveton({ tokenStore: redisTokenStore(redis, { key }), storeTimeout: 2_000 })
   */
  storeTimeout?: number | undefined;
}

/** The pair a session holds. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since epoch, this machine's clock), from `expiresIn`. */
  accessTokenExpiresAt?: number;
  /**
   * Which sign-in this pair descends from: a random id the client gives the pair of each sign-in
   * (login, register, completeOAuth), copied to every pair refreshed from it. A request answered
   * 401 `token_expired` is sent again only with a pair of the lineage it was sent with, never
   * with another sign-in's. A store keeps it with the tokens (one that stores the object as JSON
   * does); pairs without one (stored by an earlier version, or by a store that keeps only the
   * tokens) count as one lineage until the next sign-in or logout through the same client (one
   * in another process or tab is not seen).
   */
  lineage?: string;
}

/**
 * Where the current pair lives. Several processes or tabs sharing one session share a store,
 * and a `lock` that runs one refresh at a time across all of them; without it each would
 * refresh on its own and the second would replay a spent refresh token.
 *
 * `@coveton/sdk/redis` has one for a fleet of processes (`redisTokenStore`).
 */
export interface TokenStore {
  /** The current pair, or undefined when signed out. */
  get(): SessionTokens | undefined | Promise<SessionTokens | undefined>;
  /**
   * Replaces the pair (undefined signs out). `replaces` is given only by the refresher, under the
   * lock: the refresh token of the pair this write replaces (its new pair, or the end of the
   * session). A store with `claim` then writes only while that pair stands, and while the claim
   * stands if the claim was its own, so a pair written meanwhile (a sign-in, in this process or
   * another) is never overwritten; without `replaces` (a sign-in, logout) the write replaces
   * whatever is stored and leaves the refresher's claim to it.
   *
   * Resolve `false` when such a write found its pair replaced and wrote nothing; anything else
   * counts as written. The refresher then reads the store: another sign-in's pair or none drops
   * the new pair (only the calls that waited get it); a pair it spent keeps it, stores it again
   * and tells `onTokens`; unreadable keeps it for this client, untold.
   */
  set(tokens: SessionTokens | undefined, replaces?: string): void | boolean | Promise<void | boolean>;
  /**
   * Runs `fn` while holding a lock shared by everyone who shares this store. The refresher
   * reads the store again once it holds the lock, and uses a pair that someone else stored
   * meanwhile instead of refreshing a second time. It must not wait forever: reject (a
   * `TokenStoreError`) when the lock cannot be had in a bounded time.
   */
  lock?<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Marks the stored pair's refresh token as about to be sent, once for everyone sharing the
   * store; called under the lock, just before the refresh request leaves. Resolves false when
   * it was marked already by someone else (a holder that died mid-refresh may have spent it),
   * or when the stored pair is no longer the one holding `refreshToken`: the refresher then
   * never sends it. Stores shared across processes should have it.
   */
  claim?(refreshToken: string): Promise<boolean>;
  /**
   * Takes back this holder's `claim` of `refreshToken`, under the lock, before it is released:
   * the refresh request was refused before it was sent, or answered 408 or 429, so the token
   * was not spent and the next holder may send it. Never called when the request may have
   * reached the server unanswered or run (a timeout, a dropped connection, a 5xx): that claim stands. A store
   * with `claim` and without this leaves every such claim standing, and the next holder ends
   * the session.
   */
  unclaim?(refreshToken: string): Promise<void>;
}

/**
 * `logout()`: the options of its request; `signal` also bounds the waits around it (a refresh
 * under way, the store), and the pair is forgotten locally whatever happens.
 */
export interface LogoutOptions extends RequestOptions {}

export interface SessionHelpers {
  /** Creates an account and signs in with it. */
  register(...args: Parameters<SessionOperations['registerAccount']>): Promise<AuthSession>;
  /** Signs in with email and password. */
  login(...args: Parameters<SessionOperations['login']>): Promise<AuthSession>;
  /** Completes an OAuth sign-in with the provider's `code` and `state`. */
  completeOAuth(...args: Parameters<SessionOperations['completeOAuth']>): Promise<AuthSession>;
  /** Revokes the current refresh token on the server and forgets the pair. */
  logout(options?: LogoutOptions): Promise<void>;
  /** The current pair, if signed in. */
  tokens(): Promise<SessionTokens | undefined>;
}
