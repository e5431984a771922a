// A token store and a rate-limit store given one `key` keep their state in one Redis hash, and
// each would overwrite the other's (a token store's write deletes the hash first). Whichever
// store touches the key next finds the other's mark (a stored `pair`, a budget's `taken`) and
// fails with RedisKeyConflictError naming its `key` option, before it writes anything (a token
// store's write included: it deleted the budget silently, hostile review of e469d55, L1); a key
// holding another kind of value (WRONGTYPE) fails the same way. Against a real redis-server.
import { describe, expect, it, vi } from 'vitest';
import { TokenStoreError, createCoveton } from '../../src/index.js';
import { RedisKeyConflictError, RedisStoreError, redisRateLimitStore, redisTokenStore } from '../../src/redis/index.js';
import { redisBudget } from '../../src/redis/rate-limit-store.js';
import { redisFixture } from './redis-server.js';

const fixture = redisFixture();
const pair = { accessToken: 'at_1', refreshToken: 'rt_1_secret', accessTokenExpiresAt: 1 };
const budget = { requests: 5, interval: 1_000 };

describe('a token store and a rate-limit store given one key', () => {
  it('the budget refuses a key that holds a session, and leaves the session as it was', async () => {
    const { client } = fixture;
    await redisTokenStore(client, { key: 'shared:1' }).set(pair);
    const stored = await client.hGetAll('{shared:1}');
    const take = redisBudget(client, { key: 'shared:1' }).take({ now: Date.now(), inFlight: 0, budget });
    await expect(take).rejects.toThrow(RedisKeyConflictError);
    await expect(take).rejects.toMatchObject({
      name: 'RedisKeyConflictError',
      store: 'redisRateLimitStore',
      key: '{shared:1}',
      message: 'redisRateLimitStore: its `key` {shared:1} holds a session; give each store a key of its own',
    });
    expect(await client.hGetAll('{shared:1}')).toEqual(stored);
    expect(await client.exists(['{shared:1}:budget', '{shared:1}:out'])).toBe(0);
  });

  it('the session refuses a key that holds a budget, and leaves the budget as it was; through a client, a TokenStoreError caused by it', async () => {
    const { client } = fixture;
    expect(await redisBudget(client, { key: 'shared:2' }).take({ now: Date.now(), inFlight: 0, budget })).toEqual({ ticket: 1 });
    const stored = await client.hGetAll('{shared:2}');
    const tokens = redisTokenStore(client, { key: 'shared:2' });
    const get = tokens.get();
    await expect(get).rejects.toThrow(RedisKeyConflictError);
    await expect(get).rejects.toMatchObject({
      store: 'redisTokenStore',
      key: '{shared:2}',
      message: 'redisTokenStore: its `key` {shared:2} holds a rate-limit budget; give each store a key of its own',
    });
    let sent = 0;
    const coveton = createCoveton({
      baseUrl: 'https://api.example.test/v1',
      logLevel: 'off',
      tokenStore: tokens,
      fetch: async () => (sent++, new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })),
    });
    const failure = await coveton.users.getCurrent().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenStoreError);
    expect((failure as TokenStoreError).cause).toBeInstanceOf(RedisKeyConflictError);
    expect(sent).toBe(0);
    expect(await client.hGetAll('{shared:2}')).toEqual(stored);
  });

  it("a sign-in's write (set) refuses a key that holds a budget, and leaves the budget as it was; so does a logout's", async () => {
    const { client } = fixture;
    const budgets = redisBudget(client, { key: 'shared:5' });
    expect(await budgets.take({ now: Date.now(), inFlight: 0, budget })).toEqual({ ticket: 1 });
    const stored = await client.hGetAll('{shared:5}');
    expect(stored.taken).toBeDefined();
    const tokens = redisTokenStore(client, { key: 'shared:5' });
    for (const tokensOrNone of [pair, undefined]) {
      const write = tokens.set(tokensOrNone);
      await expect(write).rejects.toThrow(RedisKeyConflictError);
      await expect(write).rejects.toMatchObject({
        store: 'redisTokenStore',
        key: '{shared:5}',
        message: 'redisTokenStore: its `key` {shared:5} holds a rate-limit budget; give each store a key of its own',
      });
    }
    expect(await client.hGetAll('{shared:5}')).toEqual(stored);
    // The budget carries on with its own count: the second of five.
    expect(await budgets.take({ now: Date.now(), inFlight: 0, budget })).toEqual({ ticket: 2 });
  });

  it('a key that holds another kind of value (WRONGTYPE) fails the same way, Redis\'s reply as its cause', async () => {
    const { client } = fixture;
    await client.set('{shared:3}', 'another program');
    const get = redisTokenStore(client, { key: 'shared:3' }).get();
    await expect(get).rejects.toThrow(RedisStoreError);
    await expect(get).rejects.toMatchObject({
      name: 'RedisKeyConflictError',
      store: 'redisTokenStore',
      message: 'redisTokenStore: its `key` {shared:3} holds another kind of value (WRONGTYPE); give each store a key of its own',
      cause: { message: expect.stringMatching(/^WRONGTYPE/) },
    });
    expect(await client.get('{shared:3}')).toBe('another program');
  });

  it('a client whose rate-limit store shares a session\'s key limits with its own figures and warns once, naming the option', async () => {
    const { client } = fixture;
    await redisTokenStore(client, { key: 'shared:4' }).set(pair);
    let sent = 0;
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const coveton = createCoveton({
      baseUrl: 'https://api.example.test/v1',
      apiKey: 'ak_test_rateLimitKey1234',
      logger,
      logLevel: 'warn',
      fetch: async () => (sent++, new Response('{"id":"key_1"}', { status: 200, headers: { 'content-type': 'application/json' } })),
      rateLimit: { store: redisRateLimitStore(client, { key: 'shared:4' }) },
    });
    await coveton.apiKeys.get('key_1');
    await coveton.apiKeys.get('key_1');
    expect(sent).toBe(2);
    expect(logger.warn.mock.calls).toEqual([
      [
        "[coveton] the shared rate-limit store's `key` holds what it did not write: give it a key of its own; limiting with this process's own figures until it answers",
        { error: 'RedisKeyConflictError' },
      ],
    ]);
    expect(Object.keys(await client.hGetAll('{shared:4}')).sort()).toEqual(['pair', 'refresh']);
  });
});
