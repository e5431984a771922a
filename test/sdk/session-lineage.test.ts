// A request is renewed only within its own lineage: after a 401 `token_expired` it is sent again
// only with a pair refreshed from the one it carried, never with another sign-in's pair (user B
// signed in on the same client, or another client signed in on a shared store). The scripted
// server (../support/lineage-server.ts) holds the first GET /users/me until the test lets it
// go, answers it 401 token_expired, and records which pair each request carried. Last, a call
// started after a sign-in never goes out with the previous session's refreshed pair.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnauthorizedError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { jwt, startAuthServer } from '../support/auth-server.js';
import { startLineageServer, twoClients, type LineageScript } from '../support/lineage-server.js';
import { holdOnTheWire } from '../support/wire-gate.js';
import type { FaultServer } from '../support/fault-server.js';
import type { Authenticator } from '../../src/public/auth.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';
import { memoryTokenStore } from '../../src/session/tokens.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const start = async (script?: LineageScript) => {
  const started = await startLineageServer(script);
  server = started;
  return started;
};
const now = () => Math.floor(Date.now() / 1000);
const login = { email: 'b@example.com', password: 'a-strong-passphrase' };

/** A's GET /users/me is held on the wire while B signs in on the same client; resolves to how it ended. */
async function signInWhileOnTheWire(s: Awaited<ReturnType<typeof start>>, coveton: ReturnType<typeof createCoveton>): Promise<unknown> {
  const call = coveton.users.getCurrent().catch((e: unknown) => e);
  await s.first;
  await coveton.session.login(login);
  s.release();
  return call;
}

describe('a request answered 401 token_expired after another sign-in on the same client', () => {
  it("is not sent again as the new user: it fails with its 401 (UnauthorizedError token_expired), B's session untouched", async () => {
    const s = await start();
    const heard: string[] = [];
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({
      baseUrl: s.url,
      logLevel: 'off',
      maxRetries: 0,
      accessToken: jwt(now() + 900, 'A1'),
      refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx',
      onTokens: (t) => void heard.push(t.refreshToken),
      onSessionExpired,
    });
    const error = await signInWhileOnTheWire(s, coveton);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).reason).toBe('token_expired');
    // One GET /users/me, carrying A's token: never sent again with B's.
    expect(s.me).toEqual(['A1']);
    expect(s.refreshed).toEqual([]);
    expect(heard).toEqual(['rt_B1_xxxxxxxxxxxxxxxx']);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect((await coveton.session.tokens())?.refreshToken).toBe('rt_B1_xxxxxxxxxxxxxxxx');
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(s.me).toEqual(['A1', 'B1']);
  });

  it('on a store that keeps only the tokens: the sign-in through this client still tells the two sessions apart', async () => {
    const s = await start();
    let kept: SessionTokens | undefined = { accessToken: jwt(now() + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' };
    // Two columns: a pair read back has no lineage.
    const tokensOnly: TokenStore = {
      get: async () => kept && { accessToken: kept.accessToken, refreshToken: kept.refreshToken },
      set: async (tokens) => void (kept = tokens),
    };
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 0, tokenStore: tokensOnly });
    const error = await signInWhileOnTheWire(s, coveton);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).reason).toBe('token_expired');
    expect(s.me).toEqual(['A1']);
    expect(s.refreshed).toEqual([]);
    expect(kept?.refreshToken).toBe('rt_B1_xxxxxxxxxxxxxxxx');
  });

  it("does not refresh B's pair, even one about to expire, nor end B's session when that refresh would be refused", async () => {
    const s = await start({ loginTtl: 30, refresh: 401 });
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 0, accessToken: jwt(now() + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx', onSessionExpired });
    expect(await signInWhileOnTheWire(s, coveton)).toBeInstanceOf(UnauthorizedError);
    expect(s.me).toEqual(['A1']);
    expect(s.refreshed).toEqual([]);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect((await coveton.session.tokens())?.refreshToken).toBe('rt_B1_xxxxxxxxxxxxxxxx');
  });

  it("a request sent with the client's own credential (nobody signed in) is renewed by that authenticator, never as the user who signed in meanwhile", async () => {
    const s = await start();
    const app: Authenticator = {
      authenticate: (request) => {
        request.headers.authorization = 'Bearer app_service_token_1';
        return 'app_service_token_1';
      },
      renew: async (_stale, request) => void (request.headers.authorization = 'Bearer app_service_token_2'),
      secrets: () => ['app_service_token_1', 'app_service_token_2'],
    };
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 0, auth: app });
    const call = coveton.users.getCurrent();
    await s.first;
    await coveton.session.login(login);
    s.release();
    await expect(call).resolves.toMatchObject({ id: 'usr_1' });
    expect(s.me).toEqual(['Bearer app_service_token_1', 'Bearer app_service_token_2']);
    expect(s.refreshed).toEqual([]);
  });
});

/** A store two clients share (two processes or tabs), with a lock, in memory. */
function sharedStore(): () => TokenStore {
  const mem = memoryTokenStore();
  let queue: Promise<unknown> = Promise.resolve();
  const store: TokenStore = {
    get: async () => mem.get(),
    set: async (t, replaces) => mem.set(t, replaces),
    lock: <T>(fn: () => Promise<T>) => {
      const turn = queue.then(fn);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
  return () => store;
}

describe('two clients on one store: what counts as the same lineage', () => {
  it('the other client refreshed the pair the request carried: the request is sent again with the refreshed pair (one refresh in all)', async () => {
    const s = await start();
    const { outcome } = await twoClients(s, sharedStore(), 'refreshes');
    expect(outcome).toMatchObject({ id: 'usr_1' });
    expect(s.refreshed).toEqual(['rt_B1_xxxxxxxxxxxxxxxx']);
    expect(s.me).toEqual(['B1', 'B1r1', 'B1r1']);
  });

  it('the other client signed in (a pair this one never refreshed to): the request fails with its 401 and is not sent again', async () => {
    const s = await start();
    const { outcome, expired, stored } = await twoClients(s, sharedStore(), 'signs in');
    expect(outcome).toBeInstanceOf(UnauthorizedError);
    expect(s.me).toEqual(['B1']);
    expect(s.refreshed).toEqual([]);
    expect(expired).toBe(0);
    expect(stored?.refreshToken).toBe('rt_B2_xxxxxxxxxxxxxxxx');
  });
});

/**
 * A call started before a sign-in waits for the old session's refresh, held on the wire; a
 * sign-in; a call started after it; then the refresh lands. `accessTtl`: what every pair lives (s).
 */
async function callAfterSignIn(accessTtl?: number) {
  const auth = await startAuthServer({ accessTtl });
  server = auth;
  const first = auth.issue({ expired: true });
  const refresh = holdOnTheWire('/auth/refresh');
  const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, accessToken: first.accessToken, refreshToken: first.refreshToken, fetch: refresh.fetch });
  const before = coveton.users.getCurrent();
  await refresh.reached;
  const signedIn = await coveton.session.login(login);
  const after = coveton.users.getCurrent();
  await new Promise((resolve) => setTimeout(resolve, 50));
  refresh.release();
  await expect(Promise.all([before, after])).resolves.toHaveLength(2);
  return { auth, coveton, first, signedIn };
}

describe("a call started after a sign-in while the old session's refresh is on the wire", () => {
  it("goes out as the user who signed in, never with the old session's refreshed pair", async () => {
    const { auth, signedIn } = await callAfterSignIn();
    const used = auth.events.filter((e) => e.startsWith('used '));
    // The call started before the sign-in waited for the refresh and carries its pair (its own
    // lineage); the one started after it carries the sign-in's.
    expect(used).toHaveLength(2);
    expect(used).toContain(`used ${signedIn.accessToken}`);
    expect(auth.refreshes).toHaveLength(1);
    expect(auth.reuses).toBe(0);
  });

  it("the sign-in's pair about to expire: it waits the old refresh out, refreshes the sign-in's pair and goes as that user", async () => {
    // Every pair lives 30 s: inside the refresh margin (60 s), so the sign-in's pair is refreshed first too.
    const { auth, coveton, first, signedIn } = await callAfterSignIn(30);
    // One refresh per session, each of its own refresh token; each call carries its own session's new pair.
    expect(auth.refreshes.map((r) => (JSON.parse(r.body) as { refreshToken: string }).refreshToken)).toEqual([first.refreshToken, signedIn.refreshToken]);
    const issued = auth.events.filter((e) => e.startsWith('issued ')).map((e) => e.slice('issued '.length));
    const used = auth.events.filter((e) => e.startsWith('used ')).map((e) => e.slice('used '.length));
    expect(issued).toHaveLength(2);
    expect(used.sort()).toEqual([...issued].sort());
    expect(auth.reuses).toBe(0);
    expect((await coveton.session.tokens())?.accessToken).toBe(issued[1]);
  });
});
