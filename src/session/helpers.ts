// Sign-in helpers that install the returned pair, and logout that spends it. The operations
// behind them (register, login, completeOAuth, logout) are not on `coveton.auth`: a call made
// there would install nothing, or spend the rotating refresh token behind the refresher's back.
import type { SessionOperations } from '../../generated/resources.js';
import { CovetonError } from '../errors/base.js';
import { bounded } from './bounded.js';
import { isTokenPair } from './tokens.js';
import type { SessionTokens, TokenStore } from '../public/session.js';
import type { AuthSession } from '../../generated/models.js';
import type { SessionHelpers } from '../public/session.js';

export function toTokens(session: { accessToken: string; refreshToken: string; expiresIn?: number }): SessionTokens {
  return {
    accessToken: session?.accessToken,
    refreshToken: session?.refreshToken,
    ...(typeof session?.expiresIn === 'number' && Number.isFinite(session.expiresIn) ? { accessTokenExpiresAt: Date.now() + session.expiresIn * 1000 } : {}),
  };
}

export interface HelperStore extends Pick<TokenStore, 'set'> {
  settled(signal?: AbortSignal): Promise<SessionTokens | undefined>;
  /** Told about every pair that comes from the server (the clock skew is learned from it). */
  arrived?(tokens: SessionTokens): void;
}

export function sessionHelpers(
  auth: SessionOperations,
  store: HelperStore,
  onTokens: ((tokens: SessionTokens) => void | Promise<void>) | undefined,
  storeTimeout = 10_000,
): SessionHelpers {
  const install = async (session: AuthSession) => {
    const tokens = toTokens(session);
    if (!isTokenPair(tokens)) throw new CovetonError('The sign-in answered without a usable token pair; nothing was installed.');
    store.arrived?.(tokens);
    await bounded(onTokens?.(tokens), 'onTokens', storeTimeout, undefined, false);
    await bounded(store.set(tokens), 'set', storeTimeout);
    return session;
  };
  return {
    register: (...args) => auth.registerAccount(...args).then(install),
    login: (...args) => auth.login(...args).then(install),
    completeOAuth: (...args) => auth.completeOAuth(...args).then(install),
    async logout(options = {}) {
      const { signal } = options;
      try {
        // After any refresh under way: logout must carry the newest refresh token, not a spent one.
        const tokens = await store.settled(signal);
        if (tokens) await auth.logout({ refreshToken: tokens.refreshToken }, options);
      } finally {
        // Forgotten whatever happened above; a store that does not answer is waited for only so long.
        await bounded(store.set(undefined), 'set', storeTimeout, signal);
      }
    },
    tokens: () => store.settled(),
  };
}
