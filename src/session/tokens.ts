// User sessions (seed 002: access tokens are JWTs that expire after 15 minutes; refresh
// tokens rotate on every use and a replayed one revokes the whole family).

/** The pair a session holds. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since epoch, this machine's clock), from `expiresIn`. */
  accessTokenExpiresAt?: number;
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
  /** Replaces the pair (undefined signs out). */
  set(tokens: SessionTokens | undefined): void | Promise<void>;
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
}

/** The default store: this client instance's memory, no lock. */
export function memoryTokenStore(initial?: SessionTokens): TokenStore {
  let current = initial;
  return {
    get: () => current,
    set: (tokens) => {
      current = tokens;
    },
  };
}

/** A pair worth installing: two non-empty string tokens (a `200 {}` or an HTML page is not one). */
export function isTokenPair(value: unknown): value is SessionTokens {
  const v = value as Partial<SessionTokens> | null | undefined;
  return typeof v?.accessToken === 'string' && v.accessToken !== '' && typeof v.refreshToken === 'string' && v.refreshToken !== '';
}

/** The `exp` claim of a JWT in ms, or undefined for an opaque token. The signature is not checked: only the server can. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const claims = JSON.parse(atob(base64)) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When the access token expires on this machine's clock. `skew` is this clock minus the
 * server's (ms), learned when a pair arrived with `expiresIn`: the JWT's `exp` is the server's
 * time, and a client clock 16 minutes fast would otherwise see every token as expired.
 */
export function expiresAt(tokens: SessionTokens, skew = 0): number | undefined {
  const exp = jwtExpiry(tokens.accessToken);
  return exp !== undefined ? exp + skew : tokens.accessTokenExpiresAt;
}

/**
 * This clock minus the server's, from a pair that carries both `expiresIn` (counted from
 * arrival, on this clock) and a JWT `exp` (the server's clock); undefined when it does not.
 */
export function clockSkew(tokens: SessionTokens): number | undefined {
  const exp = jwtExpiry(tokens.accessToken);
  if (exp === undefined || tokens.accessTokenExpiresAt === undefined) return undefined;
  return tokens.accessTokenExpiresAt - exp;
}
