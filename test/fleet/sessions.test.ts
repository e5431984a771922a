// A fleet of 8 Node processes sharing one user session through Redis, against an auth server
// that rotates refresh tokens and revokes the family on reuse (seed 002). Real redis-server,
// real child processes; the control run shares the same pair without the shared store.
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisTokenStore } from '../../src/redis/index.js';
import { jwtExpiry } from '../../src/session/tokens.js';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { IDLE_LISTENERS, startFleet, tally, type Fleet } from './fleet.js';
import { startRedis, type RedisServer } from './redis-server.js';

const report = (name: string, figures: Record<string, unknown>) => {
  if (process.env.COVETON_REPORT) console.log(`fleet sessions: ${name}`, figures);
};

let redis: RedisServer;
let server: AuthServer;
let fleet: Fleet;
let keyNo = 0;
// One Redis and one fleet of 8 processes for the whole file; each test configures new clients.
beforeAll(async () => {
  [redis, fleet] = await Promise.all([startRedis(), startFleet(8)]);
});
afterAll(async () => {
  await fleet?.close();
  await redis?.close();
});
afterEach(async () => {
  await server?.close();
  // Every request of the harness took its listeners off the worker again: none piles up, so
  // Node never warns (MaxListenersExceededWarning) however many requests a file makes.
  expect(fleet.leftovers()).toEqual({ listeners: fleet.workers.map(() => IDLE_LISTENERS), warnings: [] });
});

/** Puts the pair in Redis the way a process that signed in would. */
async function seed(key: string, tokens: { accessToken: string; refreshToken: string }) {
  const client = await createClient({ url: redis.url }).connect();
  await redisTokenStore(client, { key }).set(tokens);
  await client.close();
}

const refreshesBy = (s: AuthServer) => s.refreshes.map((r) => r.headers['x-fleet-worker']);

describe('a fleet of processes sharing one session through Redis', () => {
  it('8 processes x 25 concurrent calls with the same expired access token: 1 refresh, 0 revocations, 200 successes', async () => {
    server = await startAuthServer();
    const key = `coveton:session:fleet${++keyNo}`;
    await seed(key, server.issue({ expired: true }));
    await fleet.configure(() => ({ baseUrl: server.url, redisUrl: redis.url, sessionKey: key }));
    const replies = await fleet.run(25, 'me');
    expect(tally(replies)).toEqual({ ok: 200 });
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
    report('shared store', { ...tally(replies), refreshes: server.refreshes.length, reuses: server.reuses });
  });

  it('control: the same fleet, each process with the pair in its own memory, replays spent refresh tokens and loses the session', async () => {
    server = await startAuthServer();
    const tokens = server.issue({ expired: true });
    await fleet.configure(() => ({ baseUrl: server.url, tokens }));
    const replies = await fleet.run(25, 'me');
    const outcomes = tally(replies);
    expect(server.refreshes.length).toBeGreaterThan(1);
    expect(server.reuses).toBeGreaterThan(0);
    expect(outcomes.ok ?? 0).toBeLessThan(200);
    report('control, no shared store', { ...outcomes, refreshes: server.refreshes.length, reuses: server.reuses });
  });

  for (const crash of ['before-store', 'after-store'] as const) {
    it(`the lock holder killed with SIGKILL mid-refresh, ${crash === 'before-store' ? 'before' : 'after'} it stored the new pair: ${crash === 'before-store' ? 'every waiting call gets SessionExpiredError' : 'the others use the stored pair'}, 0 reuse`, async () => {
      server = await startAuthServer();
      const key = `coveton:session:fleet${++keyNo}`;
      await seed(key, server.issue({ expired: true }));
      await fleet.configure(() => ({ baseUrl: server.url, redisUrl: redis.url, sessionKey: key, lockTtl: 1_000, crash }));
      const started = Date.now();
      const run = fleet.run(25, 'me');
      const holder = await Promise.race(fleet.workers.map((w) => w.crashPoint.then(() => w)));
      holder.kill();
      const replies = await run;
      const outcomes = tally(replies);
      expect(replies.filter((r) => r === undefined)).toHaveLength(1); // the killed holder
      expect(refreshesBy(server)).toEqual([String(holder.id)]);
      expect(server.reuses).toBe(0);
      if (crash === 'before-store') expect(outcomes).toEqual({ SessionExpiredError: 175 });
      else expect(outcomes).toEqual({ ok: 175 });
      // The others waited for the dead holder's lock to expire (1 s), not forever.
      expect(Date.now() - started).toBeLessThan(10_000);
      report(`holder killed ${crash}`, { ...outcomes, refreshes: server.refreshes.length, reuses: server.reuses, ms: Date.now() - started });
    });
  }

  it('Redis stopped and restarted mid-run: calls go on with the pair in hand, a refresh fails closed with TokenStoreError (nothing sent), then recovers; 0 lost or duplicated writes', async () => {
    server = await startAuthServer({ accessTtl: 4 });
    const key = `coveton:session:fleet${++keyNo}`;
    await fleet.configure(() => ({ baseUrl: server.url, redisUrl: redis.url, sessionKey: key, lockTtl: 1_000, refreshMargin: 0 }));
    // Issued now: the token's 4 s must cover the first two phases, not the set-up.
    const tokens = server.issue();
    await seed(key, tokens);
    // Up: every process reads the pair and writes.
    expect(tally(await fleet.run(5, 'create', 'up'))).toEqual({ ok: 40 });
    await redis.stop({ keep: true });
    // Down, the access token still valid: the pair in hand carries the calls.
    expect(tally(await fleet.run(5, 'create', 'down'))).toEqual({ ok: 40 });
    // Down, the access token expired: a refresh needs the store.
    await new Promise((r) => setTimeout(r, jwtExpiry(tokens.accessToken)! + 100 - Date.now()));
    const closed = tally(await fleet.run(5, 'create', 'closed'));
    expect(closed).toEqual({ TokenStoreError: 40 });
    expect(server.refreshes).toHaveLength(0);
    await redis.start();
    const back = await fleet.run(5, 'create', 'back');
    expect(tally(back)).toEqual({ ok: 40 });
    expect(server.refreshes).toHaveLength(1);
    expect(server.reuses).toBe(0);
    // Each write that succeeded reached the server exactly once; those refused never left.
    const writes = server.requests.filter((r) => r.method === 'POST' && r.path === '/api-keys').map((r) => String(r.headers['idempotency-key']));
    expect(writes.filter((k) => k.startsWith('closed'))).toEqual([]);
    expect(new Set(writes).size).toBe(writes.length);
    expect(writes).toHaveLength(120);
    const warned = back.flatMap((r) => r!.warnings).filter((w) => w.startsWith('warn'));
    expect(warned).toEqual([]); // warned while down, not after
    report('redis restarted', { closed, refreshes: server.refreshes.length, reuses: server.reuses, writes: writes.length });
  });
});
