// Writes that name the pair they replace, against a real redis-server: the refresher's new pair
// that a sign-in superseded is neither reported to onTokens nor kept; the end of a session
// after another holder's claim deletes only the pair it ends, never a sign-in that landed since.
import { describe, expect, it } from 'vitest';
import { SessionExpiredError, createCoveton } from '../../src/index.js';
import { redisTokenStore } from '../../src/redis/index.js';
import { startAuthServer } from '../support/auth-server.js';
import { holdOnTheWire } from '../support/wire-gate.js';
import { redisFixture, type RedisClient } from './redis-server.js';

const fixture = redisFixture();

const pair = (n: number) => ({ accessToken: `at_${n}`, refreshToken: `rt_${n}_secret`, accessTokenExpiresAt: 1 });
type Args = { keys: string[]; arguments: string[] };
/** A client that awaits `before` on each script call first. */
const hooked = (base: RedisClient, before: (o: Args) => Promise<void>) => ({
  evalSha: async (sha: string, o: Args) => (await before(o), base.evalSha(sha, o)),
  eval: async (source: string, o: Args) => (await before(o), base.eval(source, o)),
});
/** The end of a session: a write of no pair (its sealed text empty) on the session key. */
const isEnd = (o: Args) => !o.keys[0]!.endsWith(':lock') && o.arguments.length >= 3 && o.arguments[0] === '';

// onTokens ran before the store's write, and the pair was kept in memory whatever the write did:
// a sign-in during the refresh made the write land nothing, yet onTokens was called last with the
// old session's rotated pair (login returned rt_0004, onTokens saw rt_0004 then rt_0005).
describe('the refresher\'s pair after a sign-in in the same process', () => {
  async function refreshHeldOnTheWire(key: string) {
    const server = await startAuthServer();
    const first = server.issue({ expired: true });
    await redisTokenStore(fixture.client, { key }).set(first);
    const refresh = holdOnTheWire('/auth/refresh');
    const seen: string[] = [];
    const coveton = createCoveton({
      baseUrl: server.url,
      maxRetries: 0,
      tokenStore: redisTokenStore(fixture.client, { key, cacheFor: 0 }),
      // What Redis holds when onTokens is called, next to the pair it is given.
      onTokens: async (t) => void seen.push(`${t.refreshToken} (Redis: ${(await redisTokenStore(fixture.client, { key }).get())?.refreshToken})`),
      fetch: refresh.fetch,
    });
    return { server, coveton, seen, sent: refresh.reached, letGo: refresh.release, first };
  }

  it('session.login while the refresh is on the wire: onTokens gets only the login\'s pair, and the next call carries it', async () => {
    const key = 'k:superseded:login';
    const { server, coveton, seen, sent, letGo, first } = await refreshHeldOnTheWire(key);
    try {
      const call = coveton.users.getCurrent();
      await sent;
      const signedIn = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
      letGo();
      // The request that waited for the refresh goes out with the pair it got.
      expect(await call).toMatchObject({ id: 'usr_1' });
      expect(server.refreshes).toHaveLength(1);
      // The login's pair is written before onTokens hears it, as a refresh's is.
      expect(seen).toEqual([`${signedIn.refreshToken} (Redis: ${signedIn.refreshToken})`]);
      expect((await redisTokenStore(fixture.client, { key }).get())?.refreshToken).toBe(signedIn.refreshToken);
      expect((await coveton.session.tokens())?.refreshToken).toBe(signedIn.refreshToken);
      await coveton.users.getCurrent();
      expect(server.events.at(-1)).toBe(`used ${signedIn.accessToken}`);
    } finally {
      await server.close();
    }
  });

  it('control: with no sign-in, onTokens gets the refreshed pair once Redis holds it', async () => {
    const key = 'k:superseded:control';
    const { server, coveton, seen, sent, letGo, first } = await refreshHeldOnTheWire(key);
    try {
      const call = coveton.users.getCurrent();
      await sent;
      letGo();
      await call;
      const stored = (await redisTokenStore(fixture.client, { key }).get())?.refreshToken;
      expect(stored).not.toBe(first.refreshToken);
      expect(server.refreshes).toHaveLength(1);
      expect(seen).toEqual([`${stored} (Redis: ${stored})`]);
    } finally {
      await server.close();
    }
  });
});

describe('set(tokens, replaces) answers whether it landed', () => {
  it('true for the refresher\'s write while its claim stands and for a sign-in\'s; false for the refresher\'s after a sign-in', async () => {
    const key = 'k:superseded:answer';
    const store = redisTokenStore(fixture.client, { key, cacheFor: 0 });
    expect(await store.set(pair(1))).toBe(true);
    await store.lock!(async () => {
      expect(await store.claim!('rt_1_secret')).toBe(true);
      expect(await store.set(pair(2), 'rt_1_secret')).toBe(true);
    });
    await store.lock!(async () => {
      expect(await store.claim!('rt_2_secret')).toBe(true);
      expect(await store.set(pair(99))).toBe(true); // a sign-in
      expect(await store.set(pair(3), 'rt_2_secret')).toBe(false);
    });
    expect(await store.get()).toEqual(pair(99));
  });
});

// The end of a session after finding another holder's claim named a token this store never
// claimed, and went out as an unconditional delete: a sign-in from another process that landed
// between the refresher's second read and the delete was wiped (Redis held nothing).
describe('the end of a session after another holder\'s claim', () => {
  it.each([
    ['a sign-in from another process landed first: it stays', true],
    ['control: nothing landed since: the pair is deleted', false],
  ] as const)('%s', async (name, signIn) => {
    const key = `k:superseded:end:${name}`;
    const a = redisTokenStore(fixture.client, { key, cacheFor: 0 });
    const b = redisTokenStore(fixture.client, { key, cacheFor: 0 });
    const c = redisTokenStore(fixture.client, { key, cacheFor: 0 });
    await a.set(pair(1));
    await a.lock!(async () => a.claim!('rt_1_secret')); // a claimed, then died before its write
    const landed = await b.lock!(async () => {
      expect(await b.claim!('rt_1_secret')).toBe(false);
      if (signIn) await c.set(pair(99));
      return b.set(undefined, 'rt_1_secret');
    });
    expect(await c.get()).toEqual(signIn ? pair(99) : undefined);
    expect(landed).toBe(!signIn);
  });

  it('through the client: the refresher ends its session, the sign-in that landed before its delete stays, and onSessionExpired is not called', async () => {
    const server = await startAuthServer();
    try {
      const key = 'k:superseded:end:client';
      const a = redisTokenStore(fixture.client, { key, cacheFor: 0 });
      const expiredPair = server.issue({ expired: true });
      await a.set(expiredPair);
      await a.lock!(async () => a.claim!(expiredPair.refreshToken));
      const signedIn = server.issue();
      // Another process signs in just before the refresher's delete goes out.
      const signingIn = hooked(fixture.client, async (o) => {
        if (isEnd(o)) await redisTokenStore(fixture.client, { key }).set(signedIn);
      });
      const expired: string[] = [];
      const coveton = createCoveton({
        baseUrl: server.url,
        maxRetries: 0,
        logLevel: 'off',
        tokenStore: redisTokenStore(signingIn as never, { key, cacheFor: 0 }),
        onSessionExpired: () => void expired.push('b'),
      });
      expect(await coveton.users.getCurrent().catch((e: unknown) => e)).toBeInstanceOf(SessionExpiredError);
      expect(server.refreshes).toHaveLength(0);
      // The sign-in is the session now: the application is not told to sign in again.
      expect(expired).toEqual([]);
      expect(await redisTokenStore(fixture.client, { key }).get()).toEqual(signedIn);
    } finally {
      await server.close();
    }
  });
});
