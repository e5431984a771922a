import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIUserAbortError, InternalServerError, RateLimitedError, SessionExpiredError, UnauthorizedError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { eventually } from '../support/clock.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';

let server: AuthServer;
afterEach(() => server?.close());

const client = (options: CovetonOptions) =>
  createCoveton({ baseUrl: server.url, logLevel: 'off', backoff: { initialDelay: 5, maxDelay: 10, jitter: 0 }, ...options });

/** A store shared by several clients, as tabs or processes would share one, with an async mutex. */
function sharedStore(initial: SessionTokens, withLock: boolean): TokenStore {
  let current: SessionTokens | undefined = initial;
  let tail = Promise.resolve();
  return {
    get: async () => current,
    set: async (t) => {
      current = t;
    },
    ...(withLock
      ? {
          lock<T>(fn: () => Promise<T>) {
            const run = tail.then(fn);
            tail = run.then(() => undefined, () => undefined);
            return run;
          },
        }
      : {}),
  };
}

describe('sessions with rotating refresh tokens', () => {
  for (const opaque of [false, true]) {
    it(`50 concurrent calls with an expired ${opaque ? 'opaque (401 path)' : 'JWT (exp path)'} access token: one refresh, no reuse, 50 successes`, async () => {
      server = await startAuthServer();
      const tokens = server.issue({ expired: true, opaque });
      const onTokens = vi.fn();
      const coveton = client({ ...tokens, onTokens });
      const results = await Promise.all(Array.from({ length: 50 }, () => coveton.users.getCurrent()));
      expect(results.every((r) => r.id === 'usr_1')).toBe(true);
      expect(server.refreshes).toHaveLength(1);
      expect(JSON.parse(server.refreshes[0]!.body)).toEqual({ refreshToken: tokens.refreshToken });
      expect(server.reuses).toBe(0);
      expect(onTokens).toHaveBeenCalledTimes(1);
      expect((await coveton.session.tokens())!.refreshToken).not.toBe(tokens.refreshToken);
    });
  }

  it('refreshes inside a request that holds the only rate-limit turn without deadlocking', async () => {
    server = await startAuthServer();
    const coveton = client({ ...server.issue({ expired: true }), rateLimit: { maxConcurrent: 1 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => coveton.users.getCurrent()));
    expect(results).toHaveLength(5);
    expect(server.refreshes).toHaveLength(1);
  });

  it('hands the new pair to onTokens before any request uses it', async () => {
    server = await startAuthServer();
    const order: string[] = server.events;
    const coveton = client({ ...server.issue({ expired: true }), onTokens: (t) => void order.push(`onTokens ${t.accessToken}`) });
    await Promise.all([coveton.users.getCurrent(), coveton.users.getCurrent()]);
    const issued = order.find((e) => e.startsWith('issued '))!.slice(7);
    expect(order.indexOf(`onTokens ${issued}`)).toBeGreaterThan(-1);
    expect(order.indexOf(`onTokens ${issued}`)).toBeLessThan(order.indexOf(`used ${issued}`));
  });

  it('two clients sharing a store with a lock refresh once and never trip the family revocation', async () => {
    server = await startAuthServer();
    const store = sharedStore(server.issue({ expired: true }), true);
    const a = client({ tokenStore: store });
    const b = client({ tokenStore: store });
    const results = await Promise.all([...Array.from({ length: 10 }, () => a.users.getCurrent()), ...Array.from({ length: 10 }, () => b.users.getCurrent())]);
    expect(results).toHaveLength(20);
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
  });

  it('without the lock, the same two clients replay a spent token and the server revokes the family (why the lock exists)', async () => {
    server = await startAuthServer();
    const store = sharedStore(server.issue({ expired: true }), false);
    const expired = vi.fn();
    const a = client({ tokenStore: store, onSessionExpired: expired });
    const b = client({ tokenStore: store, onSessionExpired: expired });
    const outcomes = await Promise.allSettled([a.users.getCurrent(), b.users.getCurrent()]);
    expect(server.reuses).toBe(1);
    expect(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof SessionExpiredError)).toBe(true);
  });

  it('a refresh that fails for good rejects every waiter with one SessionExpiredError and calls onSessionExpired once', async () => {
    server = await startAuthServer();
    const tokens = server.issue({ expired: true });
    server.revoke(tokens.refreshToken);
    const onSessionExpired = vi.fn();
    const coveton = client({ ...tokens, onSessionExpired });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => coveton.users.getCurrent()));
    const reasons = outcomes.map((o) => (o as PromiseRejectedResult).reason);
    expect(reasons.every((r) => r instanceof SessionExpiredError)).toBe(true);
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0].reason).toBe('session_revoked');
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(server.refreshes).toHaveLength(1);
    expect(await coveton.session.tokens()).toBeUndefined();
    expect(JSON.stringify(reasons[0]) + reasons[0].message).not.toContain(tokens.refreshToken);
  });

  it('a session revoked elsewhere (401 session_revoked on a valid token) ends at once: one refresh confirms it, SessionExpiredError, onSessionExpired once, nothing resent', async () => {
    server = await startAuthServer();
    const tokens = server.issue();
    const onSessionExpired = vi.fn();
    const coveton = client({ ...tokens, onSessionExpired });
    await coveton.users.getCurrent();
    // "Sign out everywhere" from another device: the family is revoked, this access token not yet expired.
    server.revoke(tokens.refreshToken);
    const error = await coveton.users.getCurrent().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect((error as SessionExpiredError).reason).toBe('session_revoked');
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(await coveton.session.tokens()).toBeUndefined();
    expect(server.refreshes).toHaveLength(1);
    // The call went twice in all: once before the revocation, once after it (answered 401); never resent.
    expect(server.requests.filter((r) => r.path === '/users/me')).toHaveLength(2);
  });

  it('a refresh refused before it ran (429) is retried under the retry policy and the session lives on', async () => {
    server = await startAuthServer();
    server.failRefresh.push(429);
    const coveton = client({ ...server.issue({ expired: true }) });
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(server.refreshes).toHaveLength(2);
    expect(server.reuses).toBe(0);
  });

  it('when the refresh keeps being refused before it runs (429), the call fails with that error and the tokens stay', async () => {
    server = await startAuthServer();
    server.failRefresh.push(429, 429, 429);
    const tokens = server.issue({ expired: true });
    const onSessionExpired = vi.fn();
    const coveton = client({ ...tokens, onSessionExpired });
    await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(RateLimitedError);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(await coveton.session.tokens()).toMatchObject(tokens);
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
  });

  it.each([500, 502, 503, 504])('never re-sends a refresh token the server may have spent: a refresh answered %i ends the session, sent once', async (status) => {
    server = await startAuthServer();
    server.failRefresh.push(status);
    const onSessionExpired = vi.fn();
    const coveton = client({ ...server.issue({ expired: true }), onSessionExpired });
    const error = await coveton.users.getCurrent().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect((error as Error).message).toContain(`answered HTTP ${status}, and its refresh token may be spent`);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(await coveton.session.tokens()).toBeUndefined();
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
  });

  it('never re-sends a refresh token the server may have spent: a refresh whose answer is lost ends the session', async () => {
    server = await startAuthServer();
    server.failRefresh.push('drop');
    const onSessionExpired = vi.fn();
    const coveton = client({ ...server.issue({ expired: true }), onSessionExpired });
    await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(SessionExpiredError);
    // The session is gone: the next call goes out without a token and is refused, with no second refresh.
    await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await coveton.session.tokens()).toBeUndefined();
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('keeps the new pair when onTokens throws, and does not refresh again', async () => {
    server = await startAuthServer();
    const coveton = client({ ...server.issue({ expired: true }), onTokens: () => { throw new Error('disk full'); } });
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
  });

  it('a caller abort ends a call that waits for a slow refresh at once', async () => {
    server = await startAuthServer();
    server.refreshDelay.ms = 1500;
    const coveton = client({ ...server.issue({ expired: true }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(coveton.users.getCurrent({ signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('logout during a refresh sends the new refresh token, never the spent one; public calls carry no session token', async () => {
    server = await startAuthServer();
    server.refreshDelay.ms = 200;
    const tokens = server.issue({ expired: true });
    const coveton = client({ ...tokens });
    const pending = coveton.users.getCurrent();
    await eventually(() => server.refreshes.length === 1); // the refresh is under way
    await coveton.session.logout();
    await pending.catch(() => undefined);
    const logout = server.requests.find((r) => r.path === '/auth/logout')!;
    expect(JSON.parse(logout.body).refreshToken).not.toBe(tokens.refreshToken);
    expect(logout.headers.authorization).toBeUndefined();
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
  });

  it('retries a request after a refresh at most once', async () => {
    server = await startAuthServer({ accessTtl: -5, opaque: true }); // every token it issues is already expired
    const coveton = client({ ...server.issue({ opaque: true, expired: true }), refreshMargin: 0 });
    await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(server.refreshes).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/users/me')).toHaveLength(2);
  });

  it('login installs the pair, logout sends the current refresh token and clears the store', async () => {
    server = await startAuthServer();
    const onTokens = vi.fn();
    const coveton = client({ onTokens });
    const signedIn = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    expect(onTokens).toHaveBeenCalledWith(expect.objectContaining({ accessToken: signedIn.accessToken }));
    await coveton.users.getCurrent();
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${signedIn.accessToken}`);
    const current = (await coveton.session.tokens())!;
    await coveton.session.logout();
    const logout = server.requests.at(-1)!;
    expect(logout.path).toBe('/auth/logout');
    expect(JSON.parse(logout.body)).toEqual({ refreshToken: current.refreshToken });
    expect(await coveton.session.tokens()).toBeUndefined();
  });
});
