// What follows a sign-in (the pair it returned goes to `onTokens` and the store) and logout
// (which must carry the newest refresh token, then forgets the pair whatever happened). Loaded
// by ./helpers.ts on first use.
import type { SessionOperations } from '../../generated/resources.js';
import { CovetonError } from '../errors/base.js';
import { bounded } from './bounded.js';
import { isTokenPair } from './tokens.js';
import { tell, type Hearing } from './tell.js';
import { toTokens } from './to-tokens.js';
import type { HelperStore } from './helpers.js';
import type { AuthSession } from '../../generated/models.js';
import type { LogoutOptions, SessionTokens } from '../public/session.js';

export function signInSteps(auth: SessionOperations, store: HelperStore, hearing: Hearing) {
  const { storeTimeout } = hearing;
  return {
    async install<S extends AuthSession>(session: S): Promise<S> {
      const tokens = toTokens(session);
      if (!isTokenPair(tokens)) throw new CovetonError('The sign-in answered without a usable token pair; nothing was installed.');
      // A sign-in starts a lineage: a request sent with an earlier pair is never renewed with this one.
      tokens.lineage = globalThis.crypto.randomUUID();
      store.arrived?.(tokens);
      // Stored before onTokens hears it, as a refresh's pair is: a refresh still on the wire then
      // finds its pair replaced and reports nothing, so onTokens never ends on the old session.
      // Once stored the pair is the session: an onTokens that fails is logged, not thrown.
      await bounded(store.set(tokens), 'set', storeTimeout);
      await tell(hearing, tokens);
      return session;
    },
    async logout(options: LogoutOptions = {}): Promise<void> {
      const { signal } = options;
      let tokens: SessionTokens | undefined;
      try {
        // After any refresh under way: logout must carry the newest refresh token, not a spent one.
        tokens = await store.settled(signal);
      } finally {
        try {
          // Forgotten before the logout is sent, whatever happens: a refresh that starts meanwhile
          // finds no session instead of sending the token the logout carries (a refresh token
          // sent twice revokes the family). A store that does not answer is waited for only so long.
          await bounded(store.set(undefined), 'set', storeTimeout, signal);
        } finally {
          if (tokens) await auth.logout({ refreshToken: tokens.refreshToken }, options);
        }
      }
    },
  };
}
