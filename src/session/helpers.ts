// Sign-in helpers that install the returned pair, and logout that spends it. The operations
// behind them (register, login, completeOAuth, logout) are not on `coveton.auth`: a call made
// there would install nothing, or spend the rotating refresh token behind the refresher's back.
import type { SessionOperations } from '../../generated/resources.js';
import { CovetonError } from '../errors/base.js';
import { bounded } from './bounded.js';
import { isTokenPair, type SessionTokens, type TokenStore } from './tokens.js';

type AuthSession = Awaited<ReturnType<SessionOperations['login']>>;

/** Bounds on `logout()`: it waits for a refresh under way, the server, `onTokens` and the store. */
export interface LogoutOptions {
  /** Gives up waiting (the pair is forgotten locally all the same). */
  signal?: AbortSignal;
}

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
        if (tokens) await auth.logout({ refreshToken: tokens.refreshToken }, signal ? { signal } : {});
      } finally {
        // Forgotten whatever happened above; a store that does not answer is waited for only so long.
        await bounded(store.set(undefined), 'set', storeTimeout, signal);
      }
    },
    tokens: () => store.settled(),
  };
}
