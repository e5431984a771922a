// What onTokens hears, and what its failure does: it never hears a refreshed pair the store
// answered `false` for and then could not be read to confirm (a sign-in elsewhere may have
// replaced the pair: persisting it would bring the old session back); a sign-in whose onTokens
// fails is still signed in, the failure logged, as after a refresh.
import { afterEach, describe, expect, it } from 'vitest';
import { createCoveton } from '../support/client.js';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import type { Logger } from '../../src/public/logger.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';
import { memoryTokenStore } from '../../src/session/tokens.js';

let auth: AuthServer | undefined;
afterEach(async () => {
  await auth?.close();
  auth = undefined;
});

/**
 * A store over the memory store: its write of the refreshed pair is answered `false` (after
 * `meanwhile` ran: another process's sign-in, or nothing), and the read that follows fails once.
 */
function falseThenUnreadable(first: SessionTokens, meanwhile: (mem: TokenStore) => void) {
  const mem = memoryTokenStore(first);
  let down = false;
  let writes = 0;
  const store: TokenStore = {
    get: async () => {
      if (down) {
        down = false;
        throw new Error('ECONNRESET');
      }
      return mem.get();
    },
    set: async (t, replaces) => {
      if (++writes === 1 && replaces !== undefined) {
        meanwhile(mem);
        down = true;
        return false;
      }
      return mem.set(t, replaces);
    },
  };
  return { mem, store };
}

describe('a write answered false, then a read that fails', () => {
  it("another process's sign-in replaced the pair: onTokens never hears the old session's refreshed pair, and the next call carries the sign-in's", async () => {
    auth = await startAuthServer();
    const other = auth.issue();
    const { mem, store } = falseThenUnreadable(auth.issue({ expired: true }), (m) => void m.set(other));
    const heard: string[] = [];
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, onTokens: (t) => void heard.push(t.refreshToken) });
    // The call that waited for the refresh goes out with the pair it got.
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(heard).toEqual([]);
    await coveton.users.getCurrent();
    expect(auth.events.at(-1)).toBe(`used ${other.accessToken}`);
    expect((await mem.get())?.refreshToken).toBe(other.refreshToken);
    expect(heard).toEqual([]);
    expect(auth.refreshes).toHaveLength(1);
  });

  it('the write had failed (the store still holds the spent pair): the new pair is kept and stored again once the store answers, calls carry it, onTokens does not hear it', async () => {
    auth = await startAuthServer();
    const first = auth.issue({ expired: true });
    const { mem, store } = falseThenUnreadable(first, () => undefined);
    const heard: string[] = [];
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, onTokens: (t) => void heard.push(t.refreshToken) });
    await coveton.users.getCurrent();
    await coveton.users.getCurrent();
    await coveton.session.tokens(); // lets the kept pair reach the store
    const refreshed = (await mem.get())?.refreshToken;
    expect(refreshed).not.toBe(first.refreshToken);
    expect(auth.refreshes).toHaveLength(1);
    expect(auth.events.filter((e) => e.startsWith('used'))).toHaveLength(2);
    expect(new Set(auth.events.filter((e) => e.startsWith('used'))).size).toBe(1);
    expect(heard).toEqual([]);
    expect(auth.reuses).toBe(0);
  });
});

describe('a sign-in whose onTokens fails', () => {
  // The logged line names what failed: the application's callback, never the store.
  const cases: [string, () => Promise<void>, [string, unknown]][] = [
    ['throws', async () => Promise.reject(new Error('disk full')), ['[coveton] onTokens failed; the new pair is the session all the same', { error: 'Error' }]],
    [
      'never returns (past storeTimeout)',
      () => new Promise<void>(() => {}),
      ['[coveton] onTokens did not settle within storeTimeout; the new pair is the session all the same', { storeTimeout: 200 }],
    ],
  ];
  it.each(cases)('onTokens %s: the sign-in resolves, its pair is the session and the next call carries it; the failure is logged once, without a token', async (_name, onTokens, logged) => {
    auth = await startAuthServer();
    const errors: [string, unknown][] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (message, data) => void errors.push([message, data]) };
    const coveton = createCoveton({ baseUrl: auth.url, maxRetries: 0, storeTimeout: 200, logger, logLevel: 'error', onTokens });
    const signedIn = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    expect((await coveton.session.tokens())?.refreshToken).toBe(signedIn.refreshToken);
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(auth.events.at(-1)).toBe(`used ${signedIn.accessToken}`);
    expect(errors).toEqual([logged]);
    expect(JSON.stringify(errors)).not.toContain(signedIn.refreshToken);
    expect(JSON.stringify(errors)).not.toContain(signedIn.accessToken);
  });
});
