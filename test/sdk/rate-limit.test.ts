// Client-side rate limiting against a server that enforces a budget, under a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APITimeoutError, APIUserAbortError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { drive } from '../support/clock.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import type { CovetonOptions } from '../../src/public/options.js';

let server: FaultServer;
beforeEach(() => vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: new Date('2026-06-01T12:00:00Z') }));
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
});

/** A server that allows `limit` requests per `windowMs` (fixed windows), like the API's 120 a minute. */
async function budgetServer(limit = 120, windowMs = 60_000, opts: { forced429?: (i: number) => number | undefined } = {}) {
  let windowStart = 0;
  let count = 0;
  const stats = { tooMany: 0, inFlight: 0, maxInFlight: 0 };
  server = await startFaultServer(async (req, res, i) => {
    const now = Date.now();
    if (now >= windowStart + windowMs) {
      windowStart = now - (now % windowMs);
      count = 0;
    }
    count++;
    const reset = Math.ceil((windowStart + windowMs) / 1000);
    const headers = { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, limit - count)), 'X-RateLimit-Reset': String(reset) };
    const forced = opts.forced429?.(i);
    if (count > limit || forced !== undefined) {
      stats.tooMany++;
      const retryAfter = forced ?? Math.ceil((windowStart + windowMs - now) / 1000);
      return json(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { ...headers, 'Retry-After': String(retryAfter) });
    }
    json(res, 200, { id: `key_${i}` }, headers);
  });
  return stats;
}

function client(options: CovetonOptions = {}) {
  const seen = { sentWhileSpent: 0, sends: [] as number[] };
  let last: { remaining: number; resetAt: number } | undefined;
  const coveton = createCoveton({
    baseUrl: server.url,
    apiKey: 'ak_test_rateLimitKey1234',
    logLevel: 'off',
    maxRetries: 3,
    ...options,
    fetch: async (request) => {
      const now = Date.now();
      if (last && last.remaining === 0 && now < last.resetAt) seen.sentWhileSpent++;
      seen.sends.push(now);
      const response = await fetch(request);
      const remaining = Number(response.headers.get('x-ratelimit-remaining'));
      const resetAt = Number(response.headers.get('x-ratelimit-reset')) * 1000;
      if (!last || resetAt > last.resetAt || (resetAt === last.resetAt && remaining < last.remaining)) last = { remaining, resetAt };
      return response;
    },
  });
  return { coveton, seen };
}

describe('client-side rate limiting', () => {
  it('500 requests from 20 concurrent callers against 120 a minute: all succeed, at most one 429, nothing sent while the budget is known spent', async () => {
    const stats = await budgetServer();
    const { coveton, seen } = client();
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      const got: string[] = [];
      while (next < 500) {
        next++;
        got.push((await coveton.apiKeys.get('key_1')).id);
      }
      return got;
    };
    const results = (await drive(Promise.all(Array.from({ length: 20 }, worker)))).flat();
    expect(results).toHaveLength(500);
    expect(stats.tooMany).toBeLessThanOrEqual(1);
    expect(seen.sentWhileSpent).toBe(0);
    // 500 requests at 120 a window need five windows: four waits for a reset.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 60_000);
    expect(Date.now() - started).toBeLessThan(5 * 60_000);
    expect(coveton.rateLimit).toMatchObject({ limit: 120 });
    if (process.env.COVETON_REPORT) console.log('rate-limit run', { requests: seen.sends.length, tooMany: stats.tooMany, sentWhileSpent: seen.sentWhileSpent, fakeMinutes: (Date.now() - started) / 60_000 });
  });

  it('a 429 pauses the whole queue for its Retry-After, and the retry waits once, not twice', async () => {
    await budgetServer(1000, 60_000, { forced429: (i) => (i === 0 ? 10 : undefined) });
    const { coveton, seen } = client();
    const first = coveton.apiKeys.get('key_1');
    await drive(new Promise((r) => setTimeout(r, 1000)));
    const others = Promise.all(Array.from({ length: 5 }, () => coveton.apiKeys.get('key_2')));
    await drive(Promise.all([first, others]));
    const t0 = seen.sends[0]!;
    expect(seen.sends.slice(1).every((t) => t - t0 >= 10_000)).toBe(true);
    expect(seen.sends[1]! - t0).toBeLessThan(10_300);
  });

  it('waiting counts against the deadline: a reset past it fails at once without sending', async () => {
    await budgetServer(2);
    const { coveton, seen } = client();
    await drive(Promise.all([coveton.apiKeys.get('key_1'), coveton.apiKeys.get('key_1')]));
    const started = Date.now();
    await expect(drive(coveton.apiKeys.get('key_1', { deadline: 5_000 }))).rejects.toBeInstanceOf(APITimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen.sends).toHaveLength(2);
  });

  it('an abort while queued rejects at once and sends nothing', async () => {
    await budgetServer(1);
    const { coveton, seen } = client();
    await drive(coveton.apiKeys.get('key_1'));
    const controller = new AbortController();
    const queued = coveton.apiKeys.get('key_1', { signal: controller.signal });
    await drive(new Promise((r) => setTimeout(r, 1000)));
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen.sends).toHaveLength(1);
  });

  it('keeps the order of the queue, and caps concurrency', async () => {
    await budgetServer(1000);
    const order: string[] = [];
    const { coveton } = client({ rateLimit: { maxConcurrent: 1 } });
    const calls = ['a', 'b', 'c', 'd', 'e'].map((id) => coveton.apiKeys.get(`key_${id}`).then(() => order.push(id)));
    await drive(Promise.all(calls));
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.requests.map((r) => r.path)).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => `/api-keys/key_${id}`));
  });

  it('spends an own budget of requests per interval for bursty workloads', async () => {
    await budgetServer(1000);
    const { coveton, seen } = client({ rateLimit: { budget: { requests: 3, interval: 1_000 } } });
    const t0 = Date.now();
    await drive(Promise.all(Array.from({ length: 7 }, () => coveton.apiKeys.get('key_1'))), 50);
    expect(seen.sends.map((t) => Math.floor((t - t0) / 1000))).toEqual([0, 0, 0, 1, 1, 1, 2]);
  });
});

describe('rate limiting, edge cases', () => {
  it('caps a huge Retry-After at maxRetryAfter: the call that got it fails at once, the queue is not frozen for an hour', async () => {
    await budgetServer(1000, 60_000, { forced429: (i) => (i === 0 ? 3600 : undefined) });
    const { coveton, seen } = client({ maxRetryAfter: 1_000 });
    await expect(drive(coveton.apiKeys.get('key_1'))).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 3_600_000 });
    const t0 = Date.now();
    await drive(coveton.apiKeys.get('key_2'));
    expect(Date.now() - t0).toBeLessThanOrEqual(1_250);
    expect(seen.sends).toHaveLength(2);
  });

  it('a 429 with no Retry-After and no window still waits the backoff before the retry', async () => {
    server = await startFaultServer((req, res, i) =>
      i === 0 ? res.writeHead(429, { 'Content-Type': 'application/json' }).end('{"error":{"code":"RATE_LIMITED","message":"x"}}') : json(res, 200, { id: 'key_1' }),
    );
    const { coveton, seen } = client({ backoff: { jitter: 0 } });
    await drive(coveton.apiKeys.get('key_1'), 50);
    expect(seen.sends[1]! - seen.sends[0]!).toBeGreaterThanOrEqual(500);
  });

  it('enforces the deadline while waiting for a concurrency slot', async () => {
    server = await startFaultServer(async (req, res, i) => {
      if (i === 0) await new Promise((r) => setTimeout(r, 2_000));
      json(res, 200, { id: 'key_1' });
    });
    const { coveton } = client({ rateLimit: { maxConcurrent: 1 } });
    const slow = coveton.apiKeys.get('key_1');
    const t0 = Date.now();
    await expect(drive(coveton.apiKeys.get('key_2', { deadline: 300 }), 50)).rejects.toBeInstanceOf(APITimeoutError);
    expect(Date.now() - t0).toBeLessThan(600);
    await drive(slow);
  });
});
