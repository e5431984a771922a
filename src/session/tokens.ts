// User sessions (seed 002: access tokens are JWTs that expire after 15 minutes; refresh
// tokens rotate on every use and a replayed one revokes the whole family).
import type { SessionTokens, TokenStore } from '../public/session.js';

/**
 * The default store: this client instance's memory, no lock. A write naming the refresh token
 * it replaces (the refresher's) lands only while that pair is stored: a sign-in meanwhile wins.
 */
export function memoryTokenStore(initial?: SessionTokens): TokenStore {
  let current = initial;
  return {
    get: () => current,
    set: (tokens, replaces) => {
      if (replaces !== undefined && current?.refreshToken !== replaces) return false;
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
    // atob decodes without the padding base64url leaves out (the forgiving base64 of the HTML spec).
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
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
