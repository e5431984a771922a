// Session rules from the hardening review: a refresh answer without two tokens ends the session
// like an ambiguous refresh; every wait on the store or onTokens is bounded; the client learns
// the server's clock from each pair so that a fast client clock does not refresh every call; a
// store's claim is taken back only after a refresh that provably spent nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_SPENT, spend } from '../../src/session/rotate.js';
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, SessionExpiredError, TokenStoreError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { eventually } from '../support/clock.js';
import { jwt } from '../support/auth-server.js';
import { apiError, drop, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { TokenStore } from '../../src/public/session.js';

let server: FaultServer;
afterEach(() => {
  vi.useRealTimers();
  return server?.close();
});

const client = (options: CovetonOptions) =>
  createCoveton({ baseUrl: server.url, logLevel: 'off', backoff: { initialDelay: 5, maxDelay: 10, jitter: 0 }, ...options });

const now = () => Math.floor(Date.now() / 1000);

describe('refresh answers', () => {
  const bad: [string, (res: Parameters<typeof json>[0]) => void][] = [
    ['200 {}', (res) => json(res, 200, {})],
    ['an HTML page', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to the captive portal</body></html>')],
    ['a pair missing its refresh token', (res) => json(res, 200, { accessToken: jwt(now() + 900, 'n'), expiresIn: 900 })],
    ['empty tokens', (res) => json(res, 200, { accessToken: '', refreshToken: '', expiresIn: 900 })],
  ];
  for (const [name, answer] of bad) {
    it(`${name} ends the session: one SessionExpiredError for every waiter, onSessionExpired once, never Bearer undefined`, async () => {
      server = await startFaultServer((req, res) => {
        if (req.path === '/auth/refresh') return answer(res);
        json(res, 200, { id: 'usr_1' });
      });
      const onSessionExpired = vi.fn();
      const coveton = client({ accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001', onSessionExpired });
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => coveton.users.getCurrent()));
      const reasons = outcomes.map((o) => (o as PromiseRejectedResult).reason);
      expect(reasons.every((r) => r instanceof SessionExpiredError)).toBe(true);
      expect(new Set(reasons).size).toBe(1);
      expect(onSessionExpired).toHaveBeenCalledTimes(1);
      expect(server.requests.filter((r) => r.path === '/auth/refresh')).toHaveLength(1);
      expect(server.requests.filter((r) => r.path === '/users/me')).toHaveLength(0);
      expect(server.requests.some((r) => String(r.headers.authorization ?? '').includes('undefined'))).toBe(false);
      expect(await coveton.session.tokens()).toBeUndefined();
    });
  }
});

describe('bounded waits on the store and onTokens', () => {
  const hung: TokenStore = { get: () => new Promise(() => {}), set: () => new Promise(() => {}) };

  it('a call whose store never answers fails with TokenStoreError after storeTimeout, sending nothing', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'usr_1' }));
    const coveton = client({ tokenStore: hung, storeTimeout: 200 });
    const started = Date.now();
    await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(TokenStoreError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(0);
  });

  it('logout() with a store that never answers ends after storeTimeout, and at once on the caller\'s signal', async () => {
    server = await startFaultServer((req, res) => res.writeHead(204).end());
    // Timed from the store's first call: loading logout's chunk on first use (slow in a loaded
    // test worker: 2.7 s was seen) is not the wait under test.
    let asked = 0;
    const timed: TokenStore = { get: () => ((asked ||= Date.now()), new Promise(() => {})), set: () => ((asked ||= Date.now()), new Promise(() => {})) };
    const coveton = client({ tokenStore: timed, storeTimeout: 300 });
    await expect(coveton.session.logout()).rejects.toBeInstanceOf(TokenStoreError);
    expect(asked).toBeGreaterThan(0);
    expect(Date.now() - asked).toBeLessThan(2_000);

    asked = 0;
    const patient = client({ tokenStore: timed, storeTimeout: 60_000 });
    const controller = new AbortController();
    const logout = patient.session.logout({ signal: controller.signal });
    await vi.waitFor(() => expect(asked).toBeGreaterThan(0), { timeout: 8_000 });
    controller.abort();
    const aborted = Date.now();
    await expect(logout).rejects.toBeInstanceOf(Error);
    expect(Date.now() - aborted).toBeLessThan(2_000);
  });

  it('an onTokens that never returns does not hold the refreshed call past storeTimeout, and the pair is kept', async () => {
    let issued = 0;
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh') return json(res, 200, { accessToken: jwt(now() + 900, `n${++issued}`), refreshToken: `rt_next_${issued}`, expiresIn: 900 });
      json(res, 200, { id: 'usr_1' });
    });
    const coveton = client({ accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001', onTokens: () => new Promise(() => {}), storeTimeout: 200 });
    const started = Date.now();
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await coveton.session.tokens())?.refreshToken).toBe('rt_next_1');
  });

  it('aborting a call that waits on a hung store rejects with APIUserAbortError at once', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'usr_1' }));
    const coveton = client({ tokenStore: { ...hung, get: () => Promise.resolve({ accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_1' }), lock: () => new Promise(() => {}) }, storeTimeout: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(coveton.users.getCurrent({ signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('a stored pair that does not open, thrown by another copy of the SDK', () => {
  // An application that loads the ESM main entry and the CommonJS `@coveton/sdk/redis` (or the
  // reverse) has two copies of each error class: the store's TokenDecryptError is not an
  // instance of this copy's. It is still no outage (a wrong key or tampering): the call fails
  // with it, and the last pair this client read is not sent in its place.
  class TokenStoreError extends Error {
    override name = 'TokenStoreError';
    readonly operation = 'get';
  }
  class TokenDecryptError extends TokenStoreError {
    override name = 'TokenDecryptError';
    readonly key = 'coveton:session:usr_1';
  }
  for (const how of ['rejects', 'throws'] as const) {
    it(`a store that ${how} it fails the call with it, sending nothing, although a pair read before is still valid`, async () => {
      server = await startFaultServer((req, res) => json(res, 200, { id: 'usr_1' }));
      let reads = 0;
      const pair = { accessToken: jwt(now() + 900, 'a'), refreshToken: 'rt_original_0001', expiresAt: Date.now() + 900_000 };
      const foreign = new TokenDecryptError('The session could not be opened');
      const store: TokenStore = {
        get: () => {
          if (reads++ === 0) return Promise.resolve(pair);
          if (how === 'throws') throw foreign;
          return Promise.reject(foreign);
        },
        set: async () => {},
      };
      const coveton = client({ tokenStore: store });
      await coveton.users.getCurrent();
      expect(server.requests).toHaveLength(1);
      await expect(coveton.users.getCurrent()).rejects.toBe(foreign);
      expect(server.requests).toHaveLength(1);
    });
  }
  it('read under the lock, before a refresh, it fails the call with it, sending nothing', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'usr_1' }));
    let reads = 0;
    // Near expiry: the call refreshes first, and the store is read again under its lock.
    const pair = { accessToken: jwt(now() + 5, 'a'), refreshToken: 'rt_original_0001', expiresAt: Date.now() + 5_000 };
    const foreign = new TokenDecryptError('The session could not be opened');
    const store: TokenStore = {
      get: () => (reads++ === 0 ? Promise.resolve(pair) : Promise.reject(foreign)),
      set: async () => {},
      lock: (fn) => fn(),
    };
    const coveton = client({ tokenStore: store });
    await expect(coveton.users.getCurrent()).rejects.toBe(foreign);
    expect(reads).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});

describe('a store that misses a write', () => {
  it('a new pair the store failed to take is stored again on the next read, and onTokens failing does not keep it out', async () => {
    let issued = 0;
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh') return json(res, 200, { accessToken: jwt(now() + 900, `n${++issued}`), refreshToken: `rt_next_${issued}`, expiresIn: 900 });
      json(res, 200, { id: 'usr_1' });
    });
    let current: { accessToken: string; refreshToken: string } | undefined = { accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001' };
    let failNextSet = true;
    const store: TokenStore = {
      get: async () => current,
      set: async (t) => {
        if (failNextSet && t) {
          failNextSet = false;
          throw new Error('ECONNRESET');
        }
        current = t;
      },
    };
    const coveton = client({ tokenStore: store, onTokens: () => { throw new Error('disk full'); } });
    await coveton.users.getCurrent();
    expect(current?.refreshToken).toBe('rt_original_0001'); // the write was lost...
    await coveton.users.getCurrent();
    await eventually(() => current?.refreshToken === 'rt_next_1'); // ...and made again, in the background
    expect(issued).toBe(1);
  });
});

// A claim left standing after a refresh that spent nothing had the next lock holder (another
// process) end the session for the fleet. What the refresher tells a store with claim and unclaim.
describe('a claimed refresh token after the refresh', () => {
  type Answer = ((res: Parameters<typeof json>[0]) => unknown) | 'refused';
  const cases: [string, 'taken back' | 'kept', 'the session lives on' | 'the session ends', Answer, unknown][] = [
    // A 5xx may come after the server rotated the token (seed 002: a 500 is safe to retry only
    // for idempotent calls): sent again it could revoke the family, so the session ends.
    ['answered 503 (it may have run)', 'kept', 'the session ends', (res) => apiError(res, 503, 'INTERNAL', 'try later'), SessionExpiredError],
    ['answered 500 (it may have run)', 'kept', 'the session ends', (res) => apiError(res, 500, 'INTERNAL', 'oops'), SessionExpiredError],
    ['answered 429', 'taken back', 'the session lives on', (res) => apiError(res, 429, 'RATE_LIMITED', 'slow down'), APIError],
    ['refused before it was sent (ECONNREFUSED)', 'taken back', 'the session lives on', 'refused', APIConnectionError],
    ['answered 408 (the request never arrived whole)', 'taken back', 'the session lives on', (res) => apiError(res, 408, 'TIMEOUT', 'too slow'), APIError],
    ['dropped after it was sent (the answer lost)', 'kept', 'the session ends', (res) => drop(res), SessionExpiredError],
    // The call's own attempt times out as well, and fails with that.
    ['timed out after it was sent', 'kept', 'the session ends', () => new Promise(() => {}), APITimeoutError],
    ['answered 401 (the token is dead)', 'kept', 'the session ends', (res) => apiError(res, 401, 'UNAUTHORIZED', 'spent', { reason: 'token_invalid' }), SessionExpiredError],
  ];
  it.each(cases)('%s: the claim is %s, %s', async (_name, claim, session, answer, errorClass) => {
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh' && answer !== 'refused') return answer(res);
      json(res, 200, { id: 'usr_1' });
    });
    const calls: string[] = [];
    const current = { accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001' };
    const store: TokenStore = {
      get: async () => current,
      set: async (t, replaces) => void calls.push(`set ${t?.refreshToken} replacing ${replaces}`),
      lock: (fn) => fn(),
      claim: async (t) => (calls.push(`claim ${t}`), true),
      unclaim: async (t) => void calls.push(`unclaim ${t}`),
    };
    const refused = await startFaultServer(() => undefined);
    await refused.close(); // a port nothing listens on
    const onSessionExpired = vi.fn();
    // Only the case that times out has a timeout, on a fake clock moved once its refresh has
    // arrived. With 200 ms of real time for every case, a loaded machine overran a refresh that
    // was answered (the 429 and 500 cases failed with APITimeoutError in full runs).
    const times = errorClass === APITimeoutError;
    if (times) vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const coveton = client({ tokenStore: store, maxRetries: 0, ...(times ? { timeout: 200 } : {}), onSessionExpired, ...(answer === 'refused' ? { baseUrl: refused.url } : {}) });
    const failed = coveton.users.getCurrent().catch((e: unknown) => e);
    if (times) {
      await eventually(() => server.requests.some((r) => r.path === '/auth/refresh'));
      await vi.advanceTimersByTimeAsync(200);
    }
    const error = await failed;
    await coveton.session.tokens(); // once the refresh is over
    expect(error).toBeInstanceOf(errorClass);
    if (answer === 'refused') expect((error as APIConnectionError).code).toBe('ECONNREFUSED');
    const ends = session === 'the session ends';
    expect(calls).toEqual(['claim rt_original_0001', ...(claim === 'taken back' ? ['unclaim rt_original_0001'] : []), ...(ends ? ['set undefined replacing rt_original_0001'] : [])]);
    expect(onSessionExpired).toHaveBeenCalledTimes(ends ? 1 : 0);
  });

  it('a refreshed pair is written naming the refresh token it replaces; a sign-in\'s names none', async () => {
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh') return json(res, 200, { accessToken: jwt(now() + 900, 'n'), refreshToken: 'rt_next_0002', expiresIn: 900 });
      if (req.path === '/auth/login') return json(res, 200, { accessToken: jwt(now() + 900, 'l'), refreshToken: 'rt_login_0003', expiresIn: 900, tokenType: 'Bearer', user: { id: 'usr_1' } });
      json(res, 200, { id: 'usr_1' });
    });
    const calls: string[] = [];
    let current: { accessToken: string; refreshToken: string } | undefined = { accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001' };
    const store: TokenStore = {
      get: async () => current,
      set: async (t, replaces) => void (calls.push(`set ${t?.refreshToken} replacing ${replaces}`), (current = t)),
      lock: (fn) => fn(),
      claim: async () => true,
      unclaim: async (t) => void calls.push(`unclaim ${t}`),
    };
    const coveton = client({ tokenStore: store, maxRetries: 0 });
    await coveton.users.getCurrent();
    await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    expect(calls).toEqual(['set rt_next_0002 replacing rt_original_0001', 'set rt_login_0003 replacing undefined']);
  });
});

// onTokens ran before the store's write and the pair was kept whatever the write did: a write
// the store found superseded (a sign-in meanwhile) still reached onTokens, last. A store that
// answers false and then holds another sign-in's pair, or none (a logout in another process),
// has the refreshed pair go only to the call that waited for it: not kept, not heard.
describe('a refreshed pair the store reports superseded', () => {
  it.each([
    ["set resolves false, the store then holding a sign-in's pair", false, 'signedIn', []],
    ['set resolves false, the store then holding none (a logout in another process)', false, 'none', []],
    ['set resolves nothing (a store without compare-and-set): written', undefined, 'written', ['onTokens rt_next_0002']],
    ['set resolves true', true, 'written', ['onTokens rt_next_0002']],
  ] as const)('%s', async (_name, answer, after, reported) => {
    const refreshed = jwt(now() + 900, 'n');
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/refresh') return json(res, 200, { accessToken: refreshed, refreshToken: 'rt_next_0002', expiresIn: 900 });
      json(res, 200, { id: 'usr_1' });
    });
    const calls: string[] = [];
    const signedIn = { accessToken: jwt(now() + 900, 'l'), refreshToken: 'rt_login_0003' };
    let current: { accessToken: string; refreshToken: string } | undefined = { accessToken: jwt(now() - 10, 'a'), refreshToken: 'rt_original_0001' };
    const store: TokenStore = {
      get: async () => current,
      // The pair a sign-in wrote meanwhile (or the logout) stays when the refresher's write is superseded.
      set: async (t, replaces) => (calls.push(`set ${t?.refreshToken} replacing ${replaces}`), (current = answer !== false ? t : after === 'signedIn' ? signedIn : undefined), answer),
      lock: (fn) => fn(),
      claim: async () => true,
    };
    const coveton = client({ tokenStore: store, maxRetries: 0, onTokens: (t) => void calls.push(`onTokens ${t.refreshToken}`) });
    expect(await coveton.users.getCurrent()).toMatchObject({ id: 'usr_1' });
    expect(calls).toEqual(['set rt_next_0002 replacing rt_original_0001', ...reported]);
    const kept = { signedIn: 'rt_login_0003', none: undefined, written: 'rt_next_0002' }[after];
    expect((await coveton.session.tokens())?.refreshToken).toBe(kept);
    // The call that waited for the refresh went with its pair; the next goes as the store says.
    await coveton.users.getCurrent();
    const next = { signedIn: `Bearer ${signedIn.accessToken}`, none: 'none', written: `Bearer ${refreshed}` }[after];
    expect(server.requests.filter((r) => r.path === '/users/me').map((r) => r.headers.authorization ?? 'none')).toEqual([`Bearer ${refreshed}`, next]);
    expect(calls).toHaveLength(1 + reported.length);
  });
});

describe('clock skew', () => {
  /** An auth server whose clock is 16 minutes behind the client's. */
  async function laggingServer() {
    const serverNow = () => now() - 16 * 60;
    let n = 0;
    const pair = () => ({ accessToken: jwt(serverNow() + 900, `s${++n}`), refreshToken: `rt_skew_${n}`, expiresIn: 900, tokenType: 'Bearer' });
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/login') return json(res, 200, { ...pair(), user: { id: 'usr_1' } });
      if (req.path === '/auth/refresh') return json(res, 200, pair());
      json(res, 200, { id: 'usr_1' });
    });
    return { pair };
  }
  const refreshes = () => server.requests.filter((r) => r.path === '/auth/refresh').length;

  it('a client clock 16 minutes fast does not refresh on every call after login', async () => {
    await laggingServer();
    const coveton = client({});
    await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    for (let i = 0; i < 5; i++) await coveton.users.getCurrent();
    expect(refreshes()).toBe(0);
  });

  it.each([0, -100_000, 1])('a pair whose expiresIn (%i) says it expires as it arrives, while its JWT says 15 minutes, teaches no skew: no refresh before each call', async (expiresIn) => {
    let n = 0;
    const pair = () => ({ accessToken: jwt(now() + 900, `e${++n}`), refreshToken: `rt_short_${n}`, expiresIn, tokenType: 'Bearer' });
    server = await startFaultServer((req, res) => {
      if (req.path === '/auth/login') return json(res, 200, { ...pair(), user: { id: 'usr_1' } });
      if (req.path === '/auth/refresh') return json(res, 200, pair());
      json(res, 200, { id: 'usr_1' });
    });
    const coveton = client({});
    await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    for (let i = 0; i < 5; i++) await coveton.users.getCurrent();
    expect(refreshes()).toBe(0);
    expect(server.requests.filter((r) => r.path === '/users/me').length).toBe(5);
  });

  it('with a saved pair (no expiresIn yet), it refreshes once, learns the skew, and stops', async () => {
    const { pair } = await laggingServer();
    const coveton = client({ ...pair() });
    for (let i = 0; i < 5; i++) await coveton.users.getCurrent();
    expect(refreshes()).toBe(1);
  });
});

// A server whose pairs expire within the refresh margin has every call refresh: the set of spent
// refresh tokens grew by one per call for the life of the client before it had a cap.
describe('spent refresh tokens', () => {
  it(`are remembered up to ${MAX_SPENT}, the oldest forgotten first`, () => {
    const spent = new Set<string>();
    for (let i = 0; i < MAX_SPENT + 250; i++) spend(spent, `rt_${i}`);
    expect(spent.size).toBe(MAX_SPENT);
    expect(spent.has('rt_249')).toBe(false);
    expect(spent.has('rt_250')).toBe(true);
    expect(spent.has(`rt_${MAX_SPENT + 249}`)).toBe(true);
  });
});
