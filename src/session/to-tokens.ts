// The pair a sign-in or refresh answer carries, as the store keeps it. Only what follows a
// sign-in (./sign-in.ts) and the refresh (./exchange.ts) read such an answer, and both load on
// first use: kept out of ./tokens.ts, which every client carries up front.
import type { SessionTokens } from '../public/session.js';

/**
 * The pair of a sign-in or refresh answer; `expiresIn` (seconds) becomes a time on this clock.
 * Only a lifetime counts: a pair said to expire as it arrives (0, or less) would be refreshed
 * before every call, so it is kept as one whose lifetime is unknown (used until a 401 says).
 */
export function toTokens(session: { accessToken: string; refreshToken: string; expiresIn?: number }): SessionTokens {
  const seconds = session?.expiresIn;
  return {
    accessToken: session?.accessToken,
    refreshToken: session?.refreshToken,
    ...(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? { accessTokenExpiresAt: Date.now() + seconds * 1000 } : {}),
  };
}
