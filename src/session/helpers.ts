// Sign-in helpers that install the returned pair, and logout that spends it. The operations
// behind them (register, login, completeOAuth, logout) are not on `coveton.auth`: a call made
// there would install nothing, or spend the rotating refresh token behind the refresher's back.
import type { SessionOperations } from '../../generated/resources.js';
import type { SessionTokens, TokenStore } from './tokens.js';

type AuthSession = Awaited<ReturnType<SessionOperations['login']>>;

export interface SessionHelpers {
  /** Creates an account and signs in with it. */
  register(...args: Parameters<SessionOperations['registerAccount']>): Promise<AuthSession>;
  /** Signs in with email and password. */
  login(...args: Parameters<SessionOperations['login']>): Promise<AuthSession>;
  /** Completes an OAuth sign-in with the provider's `code` and `state`. */
  completeOAuth(...args: Parameters<SessionOperations['completeOAuth']>): Promise<AuthSession>;
  /** Revokes the current refresh token on the server and forgets the pair. */
  logout(): Promise<void>;
  /** The current pair, if signed in. */
  tokens(): Promise<SessionTokens | undefined>;
}

export function toTokens(session: { accessToken: string; refreshToken: string; expiresIn?: number }): SessionTokens {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    ...(typeof session.expiresIn === 'number' ? { accessTokenExpiresAt: Date.now() + session.expiresIn * 1000 } : {}),
  };
}

export function sessionHelpers(
  auth: SessionOperations,
  store: Pick<TokenStore, 'set'> & { settled(): Promise<SessionTokens | undefined> },
  onTokens: ((tokens: SessionTokens) => void | Promise<void>) | undefined,
): SessionHelpers {
  const install = async (session: AuthSession) => {
    const tokens = toTokens(session);
    await onTokens?.(tokens);
    await store.set(tokens);
    return session;
  };
  return {
    register: (...args) => auth.registerAccount(...args).then(install),
    login: (...args) => auth.login(...args).then(install),
    completeOAuth: (...args) => auth.completeOAuth(...args).then(install),
    async logout() {
      // After any refresh under way: logout must carry the newest refresh token, not a spent one.
      const tokens = await store.settled();
      try {
        if (tokens) await auth.logout({ refreshToken: tokens.refreshToken });
      } finally {
        await store.set(undefined);
      }
    },
    tokens: () => store.settled(),
  };
}
