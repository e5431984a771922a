// The waits, with fake timers and a scripted fetch (no sockets), so nothing really sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoveton } from '../../src/index.js';
import { backoffDelay } from '../../src/pipeline/backoff.js';
import type { RetryEvent } from '../../src/public/events.js';
import type { CovetonOptions } from '../../src/public/options.js';

const record = { id: 'key_1', name: 'k' };
function reply(status: number, headers: Record<string, string> = {}, body: unknown = status < 400 ? record : { error: { code: 'INTERNAL', message: 'x' } }) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** A client on a scripted fetch (no socket: the fetch entry whichever project runs), recording its retries. */
function scripted(fetch: () => Promise<Response>, options: CovetonOptions = {}) {
  const events: RetryEvent[] = [];
  const coveton = createCoveton({ baseUrl: 'https://api.test', logLevel: 'off', hooks: { onRetry: (e) => void events.push(e) }, fetch, ...options });
  return { coveton, events };
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-06-01T12:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('backoff formula', () => {
  it('is min(0.5 s * 2^(n-1), 8 s), less up to 25% jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { initialDelay: 500, maxDelay: 8000, jitter: 0.25 }, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { initialDelay: 500, maxDelay: 8000, jitter: 0.25 }, () => 1))).toEqual([375, 750, 1500, 3000, 6000, 6000]);
  });
});

describe('retry waits under fake timers', () => {
  it('waits the backoff between attempts and not a millisecond less', async () => {
    const times: number[] = [];
    const { coveton, events } = scripted(async () => (times.push(Date.now()), times.length < 3 ? reply(500) : reply(200)), { backoff: { jitter: 0 } });
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
    const { coveton } = scripted(async () => (times.push(Date.now()), times.length === 1 ? reply(503, { 'Retry-After': new Date(Date.now() + 3000).toUTCString() }) : reply(200)));
    const call = coveton.apiKeys.get('key_1');
    await vi.advanceTimersByTimeAsync(3000);
    await expect(call).resolves.toEqual(record);
    expect(times[1]! - times[0]!).toBe(3000);
  });

  it('falls back to backoff when Retry-After cannot be parsed', async () => {
    let n = 0;
    const { coveton, events } = scripted(async () => (++n === 1 ? reply(503, { 'Retry-After': 'soon-ish' }) : reply(200)), { backoff: { jitter: 0 } });
    const call = coveton.apiKeys.get('key_1');
    await vi.advanceTimersByTimeAsync(500);
    await call;
    expect(events.map((e) => e.delay)).toEqual([500]);
  });

  it('stops retrying when the next wait would pass the deadline', async () => {
    let n = 0;
    const { coveton } = scripted(async () => (n++, reply(500)), { deadline: 1200, backoff: { jitter: 0 } });
    const call = coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2000);
    expect(((await call) as Error).name).toBe('InternalServerError');
    expect(n).toBe(2); // 0 ms, 500 ms; the third would start at 1500 ms > 1200 ms
  });
});
