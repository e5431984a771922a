// The waits, with fake timers and a scripted fetch (no sockets), so nothing really sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createCoveton } from '../../src/index.js';
import type { RetryEvent } from '../../src/public/events.js';

const record = { id: 'key_1', name: 'k' };
function reply(status: number, headers: Record<string, string> = {}, body: unknown = status < 400 ? record : { error: { code: 'INTERNAL', message: 'x' } }) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-06-01T12:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('backoff formula', () => {
  it('is min(0.5 s * 2^(n-1), 8 s), less up to 25% jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, {}, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, {}, () => 1))).toEqual([375, 750, 1500, 3000, 6000, 6000]);
  });
});

describe('retry waits under fake timers', () => {
  it('waits the backoff between attempts and not a millisecond less', async () => {
    const times: number[] = [];
    const events: RetryEvent[] = [];
    const coveton = createCoveton({
      baseUrl: 'https://api.test',
      logLevel: 'off',
      backoff: { jitter: 0 },
      hooks: { onRetry: (e) => void events.push(e) },
      fetch: async () => {
        times.push(Date.now());
        return times.length < 3 ? reply(500) : reply(200);
      },
    });
    const call = coveton.apiKeys.get('key_1');
    await vi.advanceTimersByTimeAsync(499);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(call).resolves.toEqual(record);
    expect(times.map((t) => t - times[0]!)).toEqual([0, 500, 1500]);
    expect(events.map((e) => e.delay)).toEqual([500, 1000]);
  });

  it('honors Retry-After as an HTTP date', async () => {
    const times: number[] = [];
    const coveton = createCoveton({
      baseUrl: 'https://api.test',
      logLevel: 'off',
      fetch: async () => {
        times.push(Date.now());
        return times.length === 1 ? reply(503, { 'Retry-After': new Date(Date.now() + 3000).toUTCString() }) : reply(200);
      },
    });
    const call = coveton.apiKeys.get('key_1');
    await vi.advanceTimersByTimeAsync(3000);
    await expect(call).resolves.toEqual(record);
    expect(times[1]! - times[0]!).toBe(3000);
  });

  it('falls back to backoff when Retry-After cannot be parsed', async () => {
    const events: RetryEvent[] = [];
    let n = 0;
    const coveton = createCoveton({
      baseUrl: 'https://api.test',
      logLevel: 'off',
      backoff: { jitter: 0 },
      hooks: { onRetry: (e) => void events.push(e) },
      fetch: async () => (++n === 1 ? reply(503, { 'Retry-After': 'soon-ish' }) : reply(200)),
    });
    const call = coveton.apiKeys.get('key_1');
    await vi.advanceTimersByTimeAsync(500);
    await call;
    expect(events.map((e) => e.delay)).toEqual([500]);
  });

  it('stops retrying when the next wait would pass the deadline', async () => {
    let n = 0;
    const coveton = createCoveton({
      baseUrl: 'https://api.test',
      logLevel: 'off',
      deadline: 1200,
      backoff: { jitter: 0 },
      fetch: async () => {
        n++;
        return reply(500);
      },
    });
    const call = coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2000);
    expect(((await call) as Error).name).toBe('InternalServerError');
    expect(n).toBe(2); // 0 ms, 500 ms; the third would start at 1500 ms > 1200 ms
  });
});
