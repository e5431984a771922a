// User sessions (seed 002: access tokens are JWTs that expire after 15 minutes; refresh
// tokens rotate on every use and a replayed one revokes the whole family).

/** The pair a session holds. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since epoch), if known from `expiresIn`; the JWT's `exp` wins. */
  accessTokenExpiresAt?: number;
}

/**
 * Where the current pair lives. Several processes or tabs sharing one session share a store,
 * and a `lock` that runs one refresh at a time across all of them; without it each would
 * refresh on its own and the second would replay a spent refresh token.
 */
export interface TokenStore {
  get(): SessionTokens | undefined | Promise<SessionTokens | undefined>;
  set(tokens: SessionTokens | undefined): void | Promise<void>;
  /** Runs `fn` while holding a lock shared by everyone who shares this store. */
  lock?<T>(fn: () => Promise<T>): Promise<T>;
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

/** The `exp` claim of a JWT in ms, or undefined for an opaque token. The signature is not checked: only the server can. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const claims = JSON.parse(atob(base64)) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function expiresAt(tokens: SessionTokens): number | undefined {
  return jwtExpiry(tokens.accessToken) ?? tokens.accessTokenExpiresAt;
}
