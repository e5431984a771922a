// A fleet of 8 Node processes spending one rate-limit budget through Redis, against a server
// that enforces it (fixed windows of 50 requests per 1 or 2 seconds, the API's 120 a minute
// scaled down so that a run takes seconds). Real redis-server, real child processes, real time.
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { IDLE_LISTENERS, startFleet, tally, type Fleet } from './fleet.js';
import { startRedis, type RedisServer } from './redis-server.js';

const LIMIT = 50;
const API_KEY = 'ak_test_fleetRateLimit1234567890';

let redis: RedisServer;
let fleet: Fleet;
let server: FaultServer;
let keyNo = 0;
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

/**
 * A server that enforces `limit` per `WINDOW` ms. `aligned`: windows aligned on the clock, as the
 * API's are, X-RateLimit-Reset the window's end, exact. `from-first`: as many servers count, a
 * window starts with the first request after the last one ended, and the reset and Retry-After
 * are rounded up to whole seconds.
 */
async function budgetServer(WINDOW: number, { limit = LIMIT, counting = 'aligned' }: { limit?: number; counting?: 'aligned' | 'from-first' } = {}) {
  const stats = { tooMany: 0, accepted: [] as number[], refused: [] as number[], starts: [] as number[], processed: new Map<string, number>(), log: [] as string[] };
  let windowStart = 0;
  let count = 0;
  server = await startFaultServer((req, res) => {
    const now = Date.now();
    if (now >= windowStart + WINDOW) {
      windowStart = counting === 'aligned' ? now - (now % WINDOW) : now;
      stats.starts.push(windowStart);
      count = 0;
    }
    count++;
    const end = windowStart + WINDOW;
    const reset = counting === 'aligned' ? String(end / 1000) : String(Math.ceil(end / 1000));
    const headers = { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, limit - count)), 'X-RateLimit-Reset': reset };
    if (count > limit) {
      stats.tooMany++;
      stats.refused.push(now);
      const wait: Record<string, string> = { 'Retry-After': String(Math.ceil((end - now) / 1000)) };
      if (counting === 'aligned') wait['Retry-After-Ms'] = String(end - now);
      return json(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { ...headers, ...wait });
    }
    stats.accepted.push(now);
    const key = String(req.headers['idempotency-key'] ?? '');
    if (key) stats.processed.set(key, (stats.processed.get(key) ?? 0) + 1);
    json(res, req.method === 'POST' ? 201 : 200, { id: 'key_1' }, headers);
  });
  return stats;
}

/** Each test its own budget key. `rateTimeout` is the store's commandTimeout in the workers. */
const shared = (rateTimeout: number) => ({ baseUrl: server.url, apiKey: API_KEY, redisUrl: redis.url, rateKey: `coveton:rate:fleet${++keyNo}`, rateTimeout });

describe('a fleet of processes spending one rate-limit budget through Redis', () => {
  it('8 processes x 25 concurrent calls against 50 per 2 s: 200 successes, at most one 429, in the first window; no window over its 50', async () => {
    const WINDOW = 2_000;
    const stats = await budgetServer(WINDOW);
    const config = shared(2_000); // generous: this test is about the schedule, not about a slow Redis
    await fleet.configure(() => config);
    const replies = await fleet.run(25, 'get');
    expect(tally(replies)).toEqual({ ok: 200 });
    expect(stats.accepted).toHaveLength(200);
    expect(stats.tooMany).toBeLessThanOrEqual(1);
    // Counts, not wall time (how fast a batch leaves depends on the machine, not on the schedule).
    const windowOf = (t: number) => Math.floor(t / WINDOW);
    const first = windowOf(stats.accepted[0]!);
    expect(stats.refused.filter((t) => windowOf(t) !== first)).toEqual([]);
    const perWindow = stats.accepted.reduce<Record<number, number>>((n, t) => ((n[windowOf(t) - first] = (n[windowOf(t) - first] ?? 0) + 1), n), {});
    expect(Math.max(...Object.values(perWindow))).toBeLessThanOrEqual(LIMIT);
    if (process.env.COVETON_REPORT) console.log('fleet rate limit: shared store', { ok: 200, tooMany: stats.tooMany, perWindow, lastSentMs: stats.accepted.at(-1)! - stats.accepted[0]! });
  });

  it('windows counted from the first request after the last one ended, resets rounded up to whole seconds: 4 processes x 8 calls against 10 per 2 s, at most one 429, in the first window', async () => {
    const stats = await budgetServer(2_000, { limit: 10, counting: 'from-first' });
    const config = shared(2_000);
    await fleet.configure((id) => ({ ...config, batch: id < 4 ? 8 : 0 }));
    const replies = await fleet.run(8, 'get');
    expect(tally(replies)).toEqual({ ok: 32 });
    expect(stats.accepted).toHaveLength(32);
    expect(stats.tooMany).toBeLessThanOrEqual(1);
    // The server's own windows: every 429 fell in its first one.
    const windowOf = (t: number) => stats.starts.filter((start) => start <= t).length;
    expect(stats.refused.filter((t) => windowOf(t) > 1)).toEqual([]);
    // And no window of the server's took more than its 10.
    const perWindow = stats.accepted.map(windowOf).reduce<Record<number, number>>((n, w) => ((n[w] = (n[w] ?? 0) + 1), n), {});
    expect(Math.max(...Object.values(perWindow))).toBeLessThanOrEqual(10);
    if (process.env.COVETON_REPORT) console.log('fleet rate limit: windows from the first request', { tooMany: stats.tooMany, windows: stats.starts.length, perWindow });
  });

  it('control: the same 4 x 8 on their own figures against those windows get 429s', async () => {
    const stats = await budgetServer(2_000, { limit: 10, counting: 'from-first' });
    await fleet.configure((id) => ({ baseUrl: server.url, apiKey: API_KEY, maxRetries: 0, batch: id < 4 ? 8 : 0 }));
    const outcomes = tally(await fleet.run(8, 'get'));
    expect(stats.tooMany).toBeGreaterThanOrEqual(12); // 22 when the four bursts land in one window
    expect(outcomes.RateLimitedError).toBe(stats.tooMany);
    if (process.env.COVETON_REPORT) console.log('fleet rate limit: windows from the first request, control', { ...outcomes, tooMany: stats.tooMany });
  });

  it('control: the same fleet with each process on its own figures overruns the budget', async () => {
    const stats = await budgetServer(1_000);
    await fleet.configure(() => ({ baseUrl: server.url, apiKey: API_KEY, maxRetries: 0 }));
    const outcomes = tally(await fleet.run(25, 'get'));
    expect(stats.tooMany).toBeGreaterThan(50); // 150 when the 8 bursts land in one window
    expect(outcomes.RateLimitedError).toBe(stats.tooMany);
    if (process.env.COVETON_REPORT) console.log('fleet rate limit: control, no shared store', { ...outcomes, tooMany: stats.tooMany });
  });

  it('Redis stopped and restarted mid-run: one warning per process, local figures meanwhile, back on Redis after; 0 lost or duplicated writes', async () => {
    const stats = await budgetServer(1_000);
    const config = { ...shared(400), maxRetries: 4 };
    await fleet.configure(() => config);
    const run = fleet.run(25, 'create', 'rl');
    await new Promise((r) => setTimeout(r, 1_200));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1_500)); // longer than the stores' commandTimeout (400 ms)
    await redis.start();
    const replies = await run;
    // On local figures the processes overrun the budget until Redis is back: the server's 429s
    // pause each queue and the calls are retried; one that runs out of retries is a typed error.
    const outcomes = tally(replies);
    expect(Object.keys(outcomes).filter((k) => k !== 'ok' && k !== 'RateLimitedError')).toEqual([]);
    expect(outcomes.ok).toBeGreaterThanOrEqual(180);
    // At most one warning per process (a process whose queue slept through the outage on a
    // window timer never met it), and each process that warned says so when Redis is back.
    const warned = replies.map((r) => r!.warnings.filter((w) => w.startsWith('warn')));
    expect(warned.every((w) => w.length <= 1 && w.every((line) => line.includes('shared rate-limit store is unreachable')))).toBe(true);
    expect(warned.filter((w) => w.length === 1).length).toBeGreaterThanOrEqual(4);
    // Every write that succeeded reached the server's handler exactly once; the others never did.
    expect(stats.processed.size).toBe(outcomes.ok);
    expect([...stats.processed.values()].every((n) => n === 1)).toBe(true);
    // After the restart the fleet spends from Redis again (a process whose last Redis call
    // failed less than a second ago asks Redis again once that second is over).
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await fleet.run(5, 'get');
    expect(tally(after)).toEqual({ ok: 40 });
    const client = await createClient({ url: redis.url }).connect();
    const seq = Number(await client.hGet(`{${config.rateKey}}`, 'seq'));
    await client.close();
    expect(seq).toBeGreaterThanOrEqual(40);
    replies.forEach((reply, i) => {
      const back = [...reply!.warnings, ...after[i]!.warnings].filter((w) => w.includes('answers again'));
      expect(back).toHaveLength(warned[i]!.length);
    });
    if (process.env.COVETON_REPORT) console.log('fleet rate limit: redis restarted', { ...outcomes, tooMany: stats.tooMany, processesWarned: warned.filter((w) => w.length).length, seqAfter: seq });
  });
});
