// Sign-in helpers that install the returned pair, and logout that spends it. The operations
// behind them (register, login, completeOAuth, logout) are not on `coveton.auth`: a call made
// there would install nothing, or spend the rotating refresh token behind the refresher's back.
// The sign-in request starts here, its arguments checked as every resource method's are; what
// follows it (./sign-in.ts: installing the pair, logout) loads on first use, before the request.
import type { SessionOperations } from '../../generated/resources.js';
import { loadOnce } from '../util/lazy.js';
import { bounded } from './bounded.js';
import type { AuthSession } from '../../generated/models.js';
import type { Hearing } from './tell.js';
import type { SessionHelpers, SessionTokens, TokenStore } from '../public/session.js';

export interface HelperStore extends Pick<TokenStore, 'set'> {
  settled(signal?: AbortSignal): Promise<SessionTokens | undefined>;
  /** Told about every pair that comes from the server (the clock skew is learned from it). */
  arrived?(tokens: SessionTokens): void;
}

/** `hearing`: the client's session options (`onTokens`, `storeTimeout`, the logger). */
export function sessionHelpers(auth: SessionOperations, store: HelperStore, hearing: Hearing): SessionHelpers {
  const { storeTimeout } = hearing;
  const steps = loadOnce('sign-in', () => import('./sign-in.js').then((m) => m.signInSteps(auth, store, hearing)));
  // Loaded before the request is sent: the pair it returns (and the OAuth code it spends) must
  // not be lost to a chunk that fails to load after the fact.
  const signIn =
    <A extends unknown[], S extends AuthSession>(send: (...args: A) => Promise<S>) =>
    async (...args: A): Promise<S> => {
      const { install } = await steps();
      return install(await send(...args));
    };
  const forget = () => (bounded(store.set(undefined), 'set', storeTimeout) as Promise<unknown> | void)?.catch(() => undefined);
  return {
    register: signIn(auth.registerAccount),
    login: signIn(auth.login),
    completeOAuth: signIn(auth.completeOAuth),
    // Logout forgets the pair whatever happened, a chunk that did not load too (nothing was sent),
    // and settles only once the store has.
    logout: (options) =>
      steps().then(
        (after) => after.logout(options),
        async (error: unknown) => {
          await forget();
          throw error;
        },
      ),
    tokens: () => store.settled(),
  };
}
