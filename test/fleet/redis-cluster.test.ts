// The Redis stores on a real Redis Cluster (three masters, each with a replica) through
// node-redis `createCluster`: every script's keys sit in one slot (the stores' hash tag), and a
// session lives on through the failover of the master that holds it.
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoveton } from '../../src/index.js';
import { aesGcmTokenCipher, redisRateLimitStore, redisTokenStore } from '../../src/redis/index.js';
import { startAuthServer } from '../support/auth-server.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';

// The client's type is the one its call returns: declared as ReturnType<typeof createCluster>
// (the default type arguments), the assignment had tsc compare two instantiations of node-redis's
// cluster type member by member, about a quarter of the whole project's type check.
const connectTo = (urls: string[]) => createCluster({ rootNodes: urls.map((url) => ({ url })), defaults: { socket: { reconnectStrategy: () => 100, connectTimeout: 500 } } });
let cluster: RedisCluster;
let client: ReturnType<typeof connectTo>;
beforeAll(async () => {
  cluster = await startRedisCluster();
  client = connectTo(cluster.urls);
  client.on('error', () => {});
  await client.connect();
}, 30_000);
afterAll(async () => {
  client?.destroy();
  await cluster?.close();
});

const cipher = aesGcmTokenCipher({ keys: { k1: new Uint8Array(32).fill(3) }, current: 'k1' });

describe('the stores on a Redis Cluster (createCluster)', () => {
  it('a script over keys of two slots is refused (CROSSSLOT); the stores keep each script in one slot', async () => {
    await expect(client.eval("return redis.call('GET', KEYS[1])", { keys: ['coveton:rate:a', 'coveton:rate:a:out'], arguments: [] })).rejects.toThrow(/CROSSSLOT/);
    const budget = redisRateLimitStore(client, { key: 'coveton:rate:ak_cluster' });
    const now = Date.now();
    expect(await budget.take({ now, inFlight: 0, budget: { requests: 2, interval: 60_000 } })).toEqual({ ticket: 1 });
    await budget.report({ now, ticket: 1, answered: true, figures: { limit: 5, remaining: 4, resetAt: now + 60_000 } });
    expect(await budget.take({ now, inFlight: 0, budget: { requests: 2, interval: 60_000 } })).toEqual({ ticket: 2 });
    expect(await budget.take({ now, inFlight: 0, budget: { requests: 2, interval: 60_000 } })).toMatchObject({ why: 'budget' });
    const store = redisTokenStore(client, { key: 'coveton:session:usr_c1', cipher });
    await store.set({ accessToken: 'at_1', refreshToken: 'rt_1' });
    expect(await store.lock!(async () => ({ tokens: await store.get(), claimed: await store.claim!('rt_1') }))).toEqual({ tokens: { accessToken: 'at_1', refreshToken: 'rt_1' }, claimed: true });
  });

  it("the master holding the session dies: its replica takes over, the calls fail a bounded number of times, then the session goes on and refreshes", async () => {
    const server = await startAuthServer();
    try {
      const key = 'coveton:session:usr_failover';
      const store = redisTokenStore(client, { key, cipher, cacheFor: 0, commandTimeout: 300 });
      await store.set(server.issue({ expired: false }));
      const coveton = createCoveton({ baseUrl: server.url, tokenStore: store, maxRetries: 0, storeTimeout: 1_000, logger: { debug() {}, info() {}, warn() {}, error() {} } });
      const master = await cluster.masterOf(store.key);
      const outcomes: string[] = [];
      const once = () => coveton.users.getCurrent().then(() => 'ok', (e: Error) => e.name);
      let going = true;
      const during = (async () => {
        while (going) {
          outcomes.push(await once());
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await new Promise((r) => setTimeout(r, 300));
      const killed = Date.now();
      await cluster.failover(master);
      const tookMs = Date.now() - killed;
      going = false;
      await during;
      // After the failover: every call reads the store on the new master.
      const after: string[] = [];
      for (let i = 0; i < 10; i++) after.push(await once());
      const failures = [...outcomes, ...after].filter((o) => o !== 'ok');
      if (process.env.COVETON_REPORT) console.log('redis cluster failover', { tookMs, during: outcomes, after });
      expect(failures.filter((name) => name !== 'TokenStoreError')).toEqual([]);
      expect(failures.length).toBeLessThanOrEqual(10);
      expect(after.slice(-5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      // A refresh after the failover: lock, claim and the new pair, on the new master.
      const expired = server.issue({ expired: true });
      await store.set(expired);
      await coveton.users.getCurrent();
      expect(server.refreshes).toHaveLength(1);
      expect((await store.get())!.refreshToken).not.toBe(expired.refreshToken);
    } finally {
      await server.close();
    }
  });
});
