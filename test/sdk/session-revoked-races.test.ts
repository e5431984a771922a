// A 401 session_revoked, and refreshes racing sign-ins, against a hostile schedule (found by a
// review helper attacking 07dfc37 and 50ea942): the one refresh after session_revoked only
// confirms the end of the pair the request carried, never sends the request again, never
// refreshes another sign-in's pair, and is not asked of an application's own authenticator;
// a refresh this client superseded by a sign-in is never written over it, whatever the store
// does with `replaces`; on a store without lineages, a refresh is shared only by requests that
// carried its token. The server is a fetch function: users are token ids (U1 is A, U2 is B).
import { describe, expect, it, vi } from 'vitest';
import { createCoveton } from '../support/client.js';
import { jwt } from '../support/auth-server.js';
import { gate } from '../support/wire-gate.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';

const now = () => Math.floor(Date.now() / 1000);
const json = (status: number, body: unknown) => Response.json(body, { status });
const revoked401 = () => json(401, { error: { code: 'UNAUTHORIZED', message: 'Session revoked.', reason: 'session_revoked' } });
const idOf = (authorization: string | null) => {
  const payload = (authorization ?? '').replace(/^Bearer /, '').split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti : String(authorization);
};

/** Logins hand out U1, U2...; a refresh of Un gives Unr<k>; a family logged out answers 401 session_revoked. */
function fakeApi(options: { loginTtl?: number; holdFirstMe?: boolean; holdFirstRefresh?: boolean } = {}) {
  const me: string[] = [];
  const refreshed: string[] = [];
  const revoked = new Set<string>();
  const heldMe = gate();
  const heldRefresh = gate();
  let logins = 0;
  const family = (id: string) => id.replace(/r\d+$/, '');
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === '/auth/login') {
      const id = `U${++logins}`;
      const ttl = options.loginTtl ?? 900;
      return json(200, { accessToken: jwt(now() + ttl, id), refreshToken: `rt_${id}_xxxxxxxxxxxxxxxx`, expiresIn: ttl, user: { id: `usr_${id}` } });
    }
    if (path === '/auth/logout') {
      revoked.add(family(((await request.json()) as { refreshToken: string }).refreshToken.split('_')[1]!));
      return new Response(null, { status: 204 });
    }
    if (path === '/auth/refresh') {
      const from = ((await request.json()) as { refreshToken: string }).refreshToken.split('_')[1]!;
      refreshed.push(from);
      if (options.holdFirstRefresh && refreshed.length === 1) (heldRefresh.arrive(), await heldRefresh.released);
      if (revoked.has(family(from))) return revoked401();
      const id = `${from}r${refreshed.length}`;
      return json(200, { accessToken: jwt(now() + 900, id), refreshToken: `rt_${id}_xxxxxxxxxxxxxxxx`, expiresIn: 900 });
    }
    const id = idOf(request.headers.get('authorization'));
    me.push(id);
    if (options.holdFirstMe && me.length === 1) (heldMe.arrive(), await heldMe.released);
    return revoked.has(family(id)) ? revoked401() : json(200, { id: `usr_${id}` });
  };
  return { fetch, me, refreshed, heldMe, heldRefresh };
}

/** A store that keeps only the two tokens and ignores `replaces`, as the TokenStore TSDoc's example does. */
function plainStore(): TokenStore & { kept(): SessionTokens | undefined } {
  let kept: SessionTokens | undefined;
  return { get: async () => kept && { accessToken: kept.accessToken, refreshToken: kept.refreshToken }, set: async (tokens) => void (kept = tokens), kept: () => kept };
}

const A = { email: 'a@example.com', password: 'a-strong-passphrase' };
const B = { email: 'b@example.com', password: 'b-strong-passphrase' };
const options = { baseUrl: 'https://api.example.test', logLevel: 'off', maxRetries: 0 } as const;

describe('a 401 session_revoked', () => {
  it('after another tab signed A out and B in on a store without lineages: the call fails with its 401, never sent again as B, nothing refreshed', async () => {
    const api = fakeApi({ holdFirstMe: true });
    const store = plainStore();
    const tab1 = createCoveton({ ...options, fetch: api.fetch, tokenStore: store });
    const tab2 = createCoveton({ ...options, fetch: api.fetch, tokenStore: store });
    await tab1.session.login(A);
    const call = tab1.users.getCurrent().catch((e: unknown) => e);
    await api.heldMe.reached;
    await tab2.session.logout();
    await tab2.session.login(B);
    api.heldMe.release();
    expect(await call).toMatchObject({ status: 401, reason: 'session_revoked' });
    expect(api.me).toEqual(['U1']);
    expect(api.refreshed).toEqual([]);
    expect(store.kept()?.refreshToken).toBe('rt_U2_xxxxxxxxxxxxxxxx');
  });

  it("of A's request after A signed out and B signed in here, B's pair near expiry: B's refresh token is not spent for it, B untouched", async () => {
    const script: { holdFirstMe: boolean; loginTtl?: number } = { holdFirstMe: true };
    const api = fakeApi(script);
    const store = plainStore();
    const onSessionExpired = vi.fn();
    const coveton = createCoveton({ ...options, fetch: api.fetch, tokenStore: store, onSessionExpired });
    await coveton.session.login(A);
    const call = coveton.users.getCurrent().catch((e: unknown) => e);
    await api.heldMe.reached;
    await coveton.session.logout();
    script.loginTtl = 30; // B's pair is within the refresh margin
    await coveton.session.login(B);
    api.heldMe.release();
    expect(await call).toMatchObject({ status: 401, reason: 'session_revoked' });
    expect(api.refreshed).toEqual([]);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(store.kept()?.refreshToken).toBe('rt_U2_xxxxxxxxxxxxxxxx');
  });

  it("to a call made with the application's own authenticator: its renew is not asked (its contract is token_expired)", async () => {
    const api = fakeApi();
    const renew = vi.fn(async () => {});
    const fetch = async (request: Request) => (request.headers.get('authorization') === 'Bearer app_token_1' ? revoked401() : api.fetch(request));
    const coveton = createCoveton({ ...options, fetch, auth: { authenticate: (r) => ((r.headers.authorization = 'Bearer app_token_1'), 'app_token_1'), renew, secrets: () => ['app_token_1'] } });
    await expect(coveton.users.getCurrent()).rejects.toMatchObject({ status: 401, reason: 'session_revoked' });
    expect(renew).not.toHaveBeenCalled();
  });
});

describe('a refresh of A that ends after B signed in on the same client', () => {
  it('is not written over B on a store that ignores `replaces`: calls made after go as B', async () => {
    const api = fakeApi({ holdFirstRefresh: true, loginTtl: 30 });
    const store = plainStore();
    const coveton = createCoveton({ ...options, fetch: api.fetch, tokenStore: store });
    await coveton.session.login(A);
    const callA = coveton.users.getCurrent(); // A's pair is near expiry: refreshed first
    await api.heldRefresh.reached;
    await coveton.session.login(B);
    api.heldRefresh.release();
    await callA;
    expect(store.kept()?.refreshToken).toMatch(/^rt_U2/);
    expect((await coveton.users.getCurrent()).id).toMatch(/^usr_U2/);
  });

  it("is not shared by B's call on a store without lineages: B's call goes with B's own pair", async () => {
    const api = fakeApi({ holdFirstRefresh: true, loginTtl: 30 });
    const coveton = createCoveton({ ...options, fetch: api.fetch, tokenStore: plainStore() });
    await coveton.session.login(A);
    const callA = coveton.users.getCurrent();
    await api.heldRefresh.reached;
    await coveton.session.login(B);
    const callB = coveton.users.getCurrent();
    api.heldRefresh.release();
    expect((await callA).id).toMatch(/^usr_U1r/);
    expect((await callB).id).toMatch(/^usr_U2/);
  });
});
