// Sign-in helpers that install the returned pair, and logout that spends it. The operations
// behind them (register, login, completeOAuth, logout) are not on `coveton.auth`: a call made
// there would install nothing, or spend the rotating refresh token behind the refresher's back.
// The sign-in request starts here, its arguments checked as every resource method's are; what
// follows it (./sign-in.ts: installing the pair, logout) loads on first use.
import type { SessionOperations } from '../../generated/resources.js';
import { lazyMethods } from '../util/lazy.js';
import type { SessionHelpers, SessionTokens, TokenStore } from '../public/session.js';

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
  const after = lazyMethods(() => import('./sign-in.js').then((m) => m.signInSteps(auth, store, onTokens, storeTimeout)), ['install', 'logout']);
  return {
    register: (...args) => auth.registerAccount(...args).then(after.install),
    login: (...args) => auth.login(...args).then(after.install),
    completeOAuth: (...args) => auth.completeOAuth(...args).then(after.install),
    logout: (options) => after.logout(options),
    tokens: () => store.settled(),
  };
}
