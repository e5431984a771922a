// A sign-in while a refresh is on the wire, with the default memory store, and a store whose
// set answers false without having been superseded. The refresher's write names the refresh
// token it replaces; only a store that compares can tell it was superseded.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton } from '../support/client.js';
import { jwt, startAuthServer, type AuthServer } from '../support/auth-server.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';
import { memoryTokenStore } from '../../src/session/tokens.js';
import { holdOnTheWire } from '../support/wire-gate.js';

let auth: AuthServer | undefined;
let fault: FaultServer | undefined;
afterEach(async () => {
  await auth?.close();
  await fault?.close();
  auth = fault = undefined;
});
const now = () => Math.floor(Date.now() / 1000);

describe('the default memory store: session.login while the refresh is on the wire', () => {
  it.each([
    [200, 'ok'],
    [500, 'SessionExpiredError'],
    [401, 'SessionExpiredError'],
  ] as const)('refresh answered %i: the login stays the session; onTokens hears only its pair, onSessionExpired nothing', async (status, waiting) => {
    auth = await startAuthServer();
    const first = auth.issue({ expired: true });
    if (status !== 200) auth.failRefresh.push(status);
    const refresh = holdOnTheWire('/auth/refresh');
    const heard: string[] = [];
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({
      baseUrl: auth.url,
      maxRetries: 0,
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
      onTokens: (t) => void heard.push(t.refreshToken),
      onSessionExpired,
      fetch: refresh.fetch,
    });
    const call = coveton.users.getCurrent().then(
      () => 'ok',
      (e: Error) => e.name,
    );
    await refresh.reached;
    const signedIn = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    refresh.release();
    expect(await call).toBe(waiting);
    expect(heard).toEqual([signedIn.refreshToken]);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect((await coveton.session.tokens())?.refreshToken).toBe(signedIn.refreshToken);
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(auth.reuses).toBe(0);
  });
});

describe('a store whose set answers false but still holds the spent pair', () => {
  it('is a write that failed, not a superseded one: the new pair is kept and heard, later calls carry it, nothing falls back to no credential', async () => {
    const seen: string[] = [];
    let issued = 0;
    fault = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh') {
        issued++;
        return json(res, 200, { accessToken: jwt(now() + 900, `n${issued}`), refreshToken: `rt_next_000${issued}`, expiresIn: 900 });
      }
      seen.push(String(req.headers.authorization ?? 'none'));
      if (!req.headers.authorization) return apiError(res, 401, 'UNAUTHORIZED', 'no credential');
      json(res, 200, { id: 'usr_1' });
    });
    const stale = { accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001' };
    const writes: string[] = [];
    const store: TokenStore = { get: async () => stale, set: async (t, replaces) => (writes.push(`${t?.refreshToken} over ${replaces}`), false), lock: (fn) => fn(), claim: async () => true };
    const heard: string[] = [];
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({ baseUrl: fault.url, logLevel: 'off', maxRetries: 0, tokenStore: store, apiKey: 'ak_test_appKeyNotTheUser0001', onSessionExpired, onTokens: (t) => void heard.push(t.refreshToken) });
    for (let i = 0; i < 3; i++) await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(issued).toBe(1);
    expect(heard).toEqual(['rt_next_0001']);
    // Stored again, over the spent pair it replaces, when a read finds the store still holding it.
    expect(writes.slice(0, 2)).toEqual(['rt_next_0001 over rt_original_0001', 'rt_next_0001 over rt_original_0001']);
    // Every call carried the refreshed access token: none went out bare or as the application's key.
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toMatch(/^Bearer ey/);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });
});

describe('a store that answers false for a write that failed, or that failed a write before', () => {
  it('answers false on every write, and the refresh is refused for good: onSessionExpired is called (the store holds no pair of anyone else)', async () => {
    auth = await startAuthServer();
    const first = auth.issue({ expired: true });
    auth.failRefresh.push(401);
    const store: TokenStore = { get: async () => first, set: async () => false };
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, onSessionExpired });
    await expect(coveton.users.getCurrent()).rejects.toThrow(/session has ended/);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  /** A store over the memory store whose writes throw until the second refresh is on the wire. */
  function outage(second: 200 | 401) {
    const server = auth!;
    const mem = memoryTokenStore(server.issue({ expired: true }));
    let down = true;
    const store: TokenStore = {
      get: async () => mem.get(),
      set: async (t, replaces) => {
        if (down) throw new Error('ECONNRESET');
        return mem.set(t, replaces);
      },
    };
    let refreshes = 0;
    const fetchSpy = async (request: Request) => {
      if (new URL(request.url).pathname === '/auth/refresh' && ++refreshes === 2) {
        down = false;
        if (second === 401) server.failRefresh.push(401);
      }
      return fetch(request);
    };
    return { mem, store, fetch: fetchSpy };
  }

  it('the store missed the first refreshed pair and is back for the second: every call carries the session, every pair is heard, the store ends with the newest', async () => {
    auth = await startAuthServer({ accessTtl: 30 });
    const { mem, store, fetch: spy } = outage(200);
    const heard: string[] = [];
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, apiKey: 'ak_test_appKeyNotTheUser0001', onTokens: (t) => void heard.push(t.refreshToken), fetch: spy });
    for (let i = 0; i < 3; i++) await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    const used = auth.requests.filter((r) => r.path === '/users/me').map((r) => String(r.headers.authorization));
    expect(used.some((a) => a.includes('ak_test_'))).toBe(false);
    expect(heard).toHaveLength(auth.refreshes.length);
    await coveton.session.tokens();
    expect((await mem.get())?.refreshToken).toBe(heard.at(-1));
    expect(auth.reuses).toBe(0);
  });

  it('the same, the second refresh refused for good: onSessionExpired is called once', async () => {
    auth = await startAuthServer({ accessTtl: 30 });
    const { store, fetch: spy } = outage(401);
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, onSessionExpired, fetch: spy });
    for (let i = 0; i < 3; i++) await coveton.users.getCurrent().catch(() => undefined);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(auth.reuses).toBe(0);
  });

  it('a new client on the same store after such an outage (a restart) sends no spent refresh token', async () => {
    auth = await startAuthServer({ accessTtl: 30 });
    const { store, fetch: spy } = outage(200);
    const a = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store, fetch: spy });
    await a.users.getCurrent();
    await a.users.getCurrent();
    await a.session.tokens(); // lets a pair it kept reach the store
    const b = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store });
    await b.users.getCurrent().catch(() => undefined);
    expect(auth.reuses).toBe(0);
  });
});

describe('sign-in, logout and a kept pair against a refresh', () => {
  const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

  it("a login whose onTokens is still running when a refresh lands: the login's pair is stored first, so onTokens never ends on the old session", async () => {
    auth = await startAuthServer();
    const first = auth.issue({ expired: true });
    const refresh = holdOnTheWire('/auth/refresh');
    const heard: string[] = [];
    const coveton = createCoveton({
      baseUrl: auth.url,
      maxRetries: 0,
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
      onTokens: async (t) => {
        heard.push(t.refreshToken);
        if (heard.length === 1) {
          refresh.release(); // the refresh lands while the login's onTokens runs
          await tick(100);
        }
      },
      fetch: refresh.fetch,
    });
    const call = coveton.users.getCurrent().catch(() => undefined);
    await refresh.reached;
    const signedIn = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    await call;
    expect(heard).toEqual([signedIn.refreshToken]);
    expect((await coveton.session.tokens())?.refreshToken).toBe(signedIn.refreshToken);
  });

  it("a kept pair stored again names the spent pair it replaces: another process's sign-in that landed meanwhile stays", async () => {
    auth = await startAuthServer();
    let held: SessionTokens | undefined = auth.issue({ expired: true });
    let failWrites = 1;
    let signInDuringGet: SessionTokens | undefined;
    const store: TokenStore = {
      get: async () => {
        const value = held; // read before the other process's sign-in lands
        if (signInDuringGet) [held, signInDuringGet] = [signInDuringGet, undefined];
        await tick(5);
        return value;
      },
      set: async (t, replaces) => {
        if (failWrites-- > 0) throw new Error('outage');
        if (replaces !== undefined && held?.refreshToken !== replaces) return false;
        held = t;
      },
    };
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', maxRetries: 0, tokenStore: store });
    await coveton.users.getCurrent(); // refreshed; the write throws, the pair is kept
    const other = auth.issue();
    signInDuringGet = other;
    await coveton.users.getCurrent(); // reads the spent pair, stores the kept one again
    await tick(20);
    expect(held?.refreshToken).toBe(other.refreshToken);
  });

  it('a call that needs a refresh while logout is on the wire: the refresh token the logout carries is never sent again', async () => {
    auth = await startAuthServer({ accessTtl: 900 });
    const first = auth.issue({ expired: true });
    const logout = holdOnTheWire('/auth/logout');
    const coveton = createCoveton({
      baseUrl: auth.url,
      maxRetries: 0,
      logLevel: 'off',
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
      fetch: logout.fetch,
    });
    const out = coveton.session.logout();
    await logout.reached;
    const call = coveton.users.getCurrent().catch((e: unknown) => e);
    await tick(50);
    logout.release();
    await out;
    expect(await call).toBeInstanceOf(Error);
    expect(auth.refreshes).toHaveLength(0);
    expect(auth.reuses).toBe(0);
    expect(await coveton.session.tokens()).toBeUndefined();
  });
});

describe('a renewal after logout', () => {
  it("a request the session sent, answered 401 token_expired after logout(), is never renewed by the client's other authenticator", async () => {
    auth = await startAuthServer();
    const pair = auth.issue();
    const expired = () => new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'expired', reason: 'token_expired' } }), { status: 401, headers: { 'content-type': 'application/json' } });
    const me = holdOnTheWire('/users/me', expired);
    const appAuth = {
      authenticate: ({ headers }: { headers: Record<string, string> }) => void (headers['x-api-key'] = 'ak_app_service'),
      renew: async (_stale: string, request: { headers: Record<string, string> }) => void (request.headers.authorization = 'Bearer APP_SERVICE_TOKEN'),
      secrets: () => ['ak_app_service'],
    };
    const coveton = createCoveton({
      baseUrl: auth.url,
      maxRetries: 0,
      logLevel: 'off',
      auth: appAuth,
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      fetch: me.fetch,
    });
    const call = coveton.users.getCurrent().catch((e: unknown) => e);
    await me.reached;
    await coveton.session.logout();
    me.release();
    expect(await call).toBeInstanceOf(Error);
    const sent = auth.requests.filter((r) => r.path === '/users/me').map((r) => String(r.headers.authorization ?? ''));
    expect(sent.some((a) => a.includes('APP_SERVICE_TOKEN'))).toBe(false);
  });
});
