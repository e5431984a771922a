// The Redis stores on their own, against a real redis-server: the lock's ownership rules, its
// renewal and bounded wait, the claim that keeps a refresh token from being sent twice, and
// what the keys hold.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTokenStore } from '../../src/redis/index.js';
import { redisBudget as redisRateLimitStore } from '../../src/redis/rate-limit-store.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let client: Awaited<ReturnType<typeof connect>>;
const connect = (url: string) => createClient({ url }).connect();
beforeAll(async () => {
  redis = await startRedis();
  client = await connect(redis.url);
});
afterAll(async () => {
  await client?.close();
  await redis?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pair = (n: number) => ({ accessToken: `at_${n}`, refreshToken: `rt_${n}_secret`, accessTokenExpiresAt: 1 });

describe('redisTokenStore', () => {
  it('the lock is SET NX PX with a random owner: one holder at a time, the next one goes when it releases', async () => {
    const a = redisTokenStore(client, { key: 'k:lock1', lockTtl: 2_000 });
    const b = redisTokenStore(client, { key: 'k:lock1', lockTtl: 2_000 });
    const order: string[] = [];
    await Promise.all([
      a.lock!(async () => {
        order.push('a in');
        expect((await client.get('k:lock1:lock'))!.length).toBeGreaterThanOrEqual(32);
        await sleep(150);
        order.push('a out');
      }),
      sleep(20).then(() => b.lock!(async () => void order.push('b in'))),
    ]);
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(await client.exists('k:lock1:lock')).toBe(0);
  });

  it('waits a bounded time for a lock someone else holds, and never deletes a lock it does not own', async () => {
    await client.set('k:lock2:lock', 'someone-else', { PX: 5_000 });
    const store = redisTokenStore(client, { key: 'k:lock2', lockWait: 300 });
    const started = Date.now();
    await expect(store.lock!(async () => 'never')).rejects.toThrow(/held by another process/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await client.get('k:lock2:lock')).toBe('someone-else');
  });

  it('a dead holder stops renewing: its lock expires within lockTtl and the next one goes', async () => {
    await client.set('k:lock3:lock', 'dead-holder', { PX: 400 });
    const store = redisTokenStore(client, { key: 'k:lock3', lockWait: 5_000 });
    const started = Date.now();
    await store.lock!(async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a live holder renews its lock past lockTtl, so nobody else gets in while it works', async () => {
    const a = redisTokenStore(client, { key: 'k:lock4', lockTtl: 300 });
    const b = redisTokenStore(client, { key: 'k:lock4', lockWait: 700 });
    let bGotIn = false;
    await Promise.all([
      a.lock!(() => sleep(1_000)),
      sleep(50).then(() => b.lock!(async () => (bGotIn = true)).catch(() => undefined)),
    ]);
    expect(bGotIn).toBe(false);
  });

  it('claims a stored refresh token once for everyone: not twice, not after the pair changed; the key holds the pair and the claim only', async () => {
    const a = redisTokenStore(client, { key: 'k:claim' });
    const b = redisTokenStore(client, { key: 'k:claim' });
    await a.set(pair(1));
    expect(await b.claim!('rt_1_secret')).toBe(true);
    expect(await a.claim!('rt_1_secret')).toBe(false);
    expect(await b.claim!('rt_1_secret')).toBe(true); // the same claimant may claim again (a lost answer)
    expect(await a.claim!('rt_other')).toBe(false);
    await a.set(pair(2));
    expect(await a.claim!('rt_1_secret')).toBe(false);
    expect(await a.claim!('rt_2_secret')).toBe(true);
    expect(await a.get()).toEqual(pair(2));
    expect(Object.keys(await client.hGetAll('k:claim')).sort()).toEqual(['claim', 'pair']);
    expect(await client.hGet('k:claim', 'claim')).not.toContain('rt_');
    await a.set(undefined);
    expect(await client.exists('k:claim')).toBe(0);
    expect(await a.get()).toBeUndefined();
  });

  it('reuses a pair it read for cacheFor ms, but always reads Redis under the lock', async () => {
    const writer = redisTokenStore(client, { key: 'k:cache' });
    const reader = redisTokenStore(client, { key: 'k:cache', cacheFor: 300 });
    await writer.set(pair(1));
    expect(await reader.get()).toEqual(pair(1));
    await writer.set(pair(2)); // another process refreshed
    expect(await reader.get()).toEqual(pair(1)); // within cacheFor: the pair in hand
    expect(await reader.lock!(async () => reader.get())).toEqual(pair(2)); // under the lock: Redis
    await writer.set(pair(3));
    await sleep(320);
    expect(await reader.get()).toEqual(pair(3));
  });

  it('fails with an error (never hangs) when Redis does not answer', async () => {
    const dead = await createClient({ url: 'redis://127.0.0.1:9', socket: { reconnectStrategy: false, connectTimeout: 200 } })
      .on('error', () => {});
    const store = redisTokenStore(dead as never, { key: 'k:dead', commandTimeout: 200 });
    const started = Date.now();
    await expect(store.get()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('redisRateLimitStore', () => {
  it('lets one send per process out until someone learns the figures, then spends the window once for all', async () => {
    const a = redisRateLimitStore(client, { key: 'r:1' });
    const b = redisRateLimitStore(client, { key: 'r:1' });
    const now = Date.now();
    const first = await a.take({ now, inFlight: 0 });
    expect(first).toEqual({ ticket: 1 });
    expect(await a.take({ now, inFlight: 1 })).toEqual({ wait: Number.POSITIVE_INFINITY, why: 'learning' });
    expect(await b.take({ now, inFlight: 0 })).toEqual({ ticket: 2 });
    await a.report({ now, ticket: 1, answered: true, figures: { limit: 4, remaining: 3, resetAt: now + 1_000 } });
    // 4 a window, 2 sent: 2 left for the whole fleet.
    expect(await b.take({ now, inFlight: 1 })).toEqual({ ticket: 3 });
    expect(await a.take({ now, inFlight: 0 })).toEqual({ ticket: 4 });
    expect(await b.take({ now, inFlight: 2 })).toEqual({ wait: 1_000, why: 'window' });
    // A 429 pauses every process for its Retry-After.
    await b.report({ now, ticket: 2, answered: true, tooMany: { retryAfter: 500, maxPause: 60_000 } });
    expect(await a.take({ now: now + 100, inFlight: 0 })).toEqual({ wait: 400, why: 'pause' });
  });

  it('keeps the caller\'s own budget for the fleet', async () => {
    const a = redisRateLimitStore(client, { key: 'r:2' });
    const now = Date.now();
    const budget = { requests: 2, interval: 1_000 };
    await a.take({ now, inFlight: 0, budget });
    await a.report({ now, ticket: 1, answered: true });
    expect(await a.take({ now: now + 10, inFlight: 0, budget })).toEqual({ ticket: 2 });
    expect(await a.take({ now: now + 20, inFlight: 0, budget })).toEqual({ wait: 980, why: 'budget' });
  });
});
