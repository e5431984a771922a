// Session tokens as the API issues them (seed 002, "Authentication"): JWT-shaped HS256 access
// tokens that expire after 15 minutes, and opaque refresh tokens that rotate on every use. A
// refresh token presented twice revokes its whole family (every token of that sign-in).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base62 } from '../tools/ids.js';
import { unauthorized } from './reply.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
/**
 * Refresh tokens remembered (spent ones too, to catch a replay); past it the oldest is
 * forgotten and answers `token_invalid`. Every sign-in and refresh adds one.
 */
export const MAX_REFRESH_TOKENS = 50_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface RefreshRecord {
  family: string;
  userId: string;
  used: boolean;
}

export interface Tokens {
  /** A new pair for `userId` in `family` (the session id). */
  issue(userId: string, family: string): TokenPair;
  /**
   * Spends `refreshToken` and returns the next pair of its family. The refresh route's
   * x-invariants have already refused an unknown, spent or ended one (checks.ts).
   */
  rotate(refreshToken: string): TokenPair & { userId: string; family: string };
  /**
   * The user and family of an access token this mock signed, with whether it has expired, or a
   * 401 `token_invalid`. Expiry is judged by the caller, after the session: a token of an ended
   * session answers `session_revoked` whether or not it has expired.
   */
  verify(accessToken: string): { userId: string; family: string; expired: boolean };
  /** Takes `refreshToken` as an unspent token of `family` (the sessions the docs' examples name). */
  adopt(refreshToken: string, userId: string, family: string): void;
  familyOf(refreshToken: string): string | undefined;
  /** Whether a refresh token was already exchanged. */
  isSpent(refreshToken: string): boolean;
  /** How many refreshes were answered (for tests: 50 concurrent calls make one). */
  readonly refreshCount: number;
  clear(): void;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function createTokens(now: () => number, accessSeconds = ACCESS_TOKEN_SECONDS): Tokens {
  let secret = randomBytes(32);
  const refresh = new Map<string, RefreshRecord>();
  let refreshCount = 0;
  const sign = (input: string) => b64url(createHmac('sha256', secret).update(input).digest());

  function issue(userId: string, family: string): TokenPair {
    const iat = Math.floor(now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const claims = b64url(JSON.stringify({ sub: userId, sid: family, iat, exp: iat + accessSeconds, jti: base62(10) }));
    const refreshToken = `rt_${base62(40)}`;
    if (refresh.size >= MAX_REFRESH_TOKENS) refresh.delete(refresh.keys().next().value as string);
    refresh.set(refreshToken, { family, userId, used: false });
    return { accessToken: `${head}.${claims}.${sign(`${head}.${claims}`)}`, refreshToken, tokenType: 'Bearer', expiresIn: accessSeconds };
  }

  return {
    issue,
    rotate(refreshToken) {
      const record = refresh.get(refreshToken);
      if (!record || record.used) throw unauthorized('token_invalid', 'Unknown refresh token.');
      record.used = true;
      refreshCount++;
      return { ...issue(record.userId, record.family), userId: record.userId, family: record.family };
    },
    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3) throw unauthorized('token_invalid', 'The access token is malformed.');
      const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`));
      const given = Buffer.from(parts[2]!);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw unauthorized('token_invalid', 'The access token was not issued by this mock (its signature does not verify).');
      }
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { sub: string; sid: string; exp: number };
      return { userId: claims.sub, family: claims.sid, expired: claims.exp * 1000 <= now() };
    },
    adopt: (refreshToken, userId, family) => void refresh.set(refreshToken, { family, userId, used: false }),
    familyOf: (token) => refresh.get(token)?.family,
    isSpent: (token) => refresh.get(token)?.used === true,
    get refreshCount() {
      return refreshCount;
    },
    clear() {
      // A new signing key: tokens issued before a reset stop verifying, like the rest of the state.
      secret = randomBytes(32);
      refresh.clear();
      refreshCount = 0;
    },
  };
}
