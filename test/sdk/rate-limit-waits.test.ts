// Waits the limiter takes from responses are bounded (the hardening review: a reset ten hours
// ahead queued the next call for ten hours; a reset sent in milliseconds queued it forever and
// flooded stderr with TimeoutOverflowWarning), and the pluggable store behind the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError } from '../../src/index.js';
import { memoryRateLimitStore } from '../../src/pipeline/rate-limit/store.js';
import { createCoveton } from '../support/client.js';
import { withFallback } from '../../src/redis/fallback.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { RateLimitDecision, RateLimitStore } from '../../src/public/rate-limit.js';

let server: FaultServer;
afterEach(() => server?.close());

function client(options: CovetonOptions = {}) {
  return createCoveton({ baseUrl: server.url, apiKey: 'ak_test_rateLimitKey1234', logLevel: 'off', ...options });
}

/** Answers every request with the budget spent and the given reset. */
async function spentServer(reset: number) {
  server = await startFaultServer((req, res) => json(res, 200, { id: 'key_1' }, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) }));
}

describe('waits taken from responses', () => {
  it('a reset ten hours ahead fails the next call at once with RateLimitedError, sending nothing', async () => {
    await spentServer(Math.floor(Date.now() / 1000) + 10 * 3600);
    const coveton = client();
    await coveton.apiKeys.get('key_1');
    const started = Date.now();
    const error = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(9 * 3600_000);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });

  it('a reset sent in milliseconds is no reset: the next call goes at once, and no timer overflows', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await spentServer(Date.now() + 30_000); // milliseconds where seconds belong: year 57000
      const coveton = client();
      await coveton.apiKeys.get('key_1');
      const started = Date.now();
      await coveton.apiKeys.get('key_1');
      expect(Date.now() - started).toBeLessThan(500);
      expect(server.requests).toHaveLength(2);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('a pluggable RateLimitStore behind the queue', () => {
  it('asks the store once per send and reports each answer with its ticket', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'key_1' }));
    const calls: string[] = [];
    let ticket = 0;
    const store: RateLimitStore = {
      take: async () => (calls.push('take'), { ticket: ++ticket }),
      report: async (r) => void calls.push(`report ${r.ticket} ${r.answered} ${r.figures?.remaining}`),
    };
    const coveton = client({ rateLimit: { store } });
    await coveton.apiKeys.get('key_1');
    await coveton.apiKeys.get('key_1');
    expect(calls).toEqual(['take', 'report 1 true 119', 'take', 'report 2 true 119']);
  });

  it('a wait from the store beyond maxRetryAfter fails fast; a shorter one is waited', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'key_1' }));
    const decisions: RateLimitDecision[] = [{ wait: 3_600_000, why: 'window' }, { wait: 150, why: 'pause' }, { ticket: 1 }];
    const store: RateLimitStore = { take: () => decisions.shift()!, report: () => {} };
    const coveton = client({ rateLimit: { store }, maxRetryAfter: 1_000 });
    const refused = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    // Built by the pipeline from the queue's facts: the call's endpoint, the store's wait.
    expect(refused).toMatchObject({ endpoint: 'GET /api-keys/{id}', retryAfterMs: 3_600_000, status: 429 });
    const started = Date.now();
    await coveton.apiKeys.get('key_1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [-9_223_372_036_854_775_808, 'pause'],
    [Infinity, 'budget'],
  ] as const)('a wait of %s ms (%s) from a store fails the call at once with RateLimitedError, asking the store once and sending nothing (not a loop of asks, not a wait without end)', async (wait, why) => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'key_1' }));
    let takes = 0;
    const store: RateLimitStore = { take: async () => (takes++, { wait, why }), report: () => {} };
    const coveton = client({ rateLimit: { store }, deadline: 1_000 });
    const refused = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    // No time to wait is given for a wait no turn can follow.
    expect(refused).toMatchObject({ retryAfterMs: undefined, message: expect.stringContaining(`the rate-limit store gave an unusable wait (${wait} ms)`) });
    expect(takes).toBe(1);
    expect(server.requests).toHaveLength(0);
  });

  it('a shared store that fails is replaced by the local figures with one warning, and used again once it answers (the Redis entry\'s fallback)', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { id: 'key_1' }));
    let down = true;
    let taken = 0;
    const store: RateLimitStore = {
      take: async () => {
        if (down) throw new Error('ECONNREFUSED');
        return { ticket: ++taken };
      },
      report: async () => {
        if (down) throw new Error('ECONNREFUSED');
      },
    };
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const coveton = client({ rateLimit: { store: withFallback(store) }, logger, logLevel: 'info' });
    for (let i = 0; i < 5; i++) await coveton.apiKeys.get('key_1');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toContain('shared rate-limit store is unreachable');
    down = false;
    // The store is asked again a second later: the clock moves, nobody waits.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1_050 });
    try {
      await coveton.apiKeys.get('key_1');
    } finally {
      vi.useRealTimers();
    }
    expect(taken).toBe(1);
    expect(logger.info.mock.calls.some(([m]) => String(m).includes('answers again'))).toBe(true);
    expect(server.requests).toHaveLength(6);
  });
});

describe('memoryRateLimitStore, the window rules', () => {
  const figures = (remaining: number, resetAt: number) => ({ limit: 4, remaining, resetAt });

  it('counts sends still out when a window turns in the new one, and gives each back when its answer says the old window counted it', () => {
    const store = memoryRateLimitStore();
    const t0 = 10_000;
    const take = (now: number, inFlight: number) => store.take({ now, inFlight });
    const first = take(t0, 0) as { ticket: number };
    store.report({ now: t0, ticket: first.ticket, answered: true, figures: figures(3, t0 + 1_000) });
    const out = [take(t0 + 10, 0), take(t0 + 20, 1), take(t0 + 30, 2)] as { ticket: number }[];
    expect(take(t0 + 40, 3)).toEqual({ wait: 960, why: 'window' }); // 4 of 4 spent
    // The window turns with 3 sends out: they may land in the new one, so 1 is left.
    expect(take(t0 + 1_000, 3)).toEqual({ ticket: 5 });
    expect(take(t0 + 1_001, 4)).toEqual({ wait: Number.POSITIVE_INFINITY, why: 'learning' });
    // Their answers say the old window counted them: each is given back.
    for (const { ticket } of out) store.report({ now: t0 + 1_002, ticket, answered: true, figures: figures(0, t0 + 1_000) });
    expect(take(t0 + 1_003, 1)).toEqual({ ticket: 6 });
    expect(take(t0 + 1_004, 2)).toEqual({ ticket: 7 });
    expect(take(t0 + 1_005, 3)).toEqual({ ticket: 8 });
    expect(take(t0 + 1_006, 4)).toEqual({ wait: Number.POSITIVE_INFINITY, why: 'learning' });
  });

  it("a 429 pauses for the pause it reports (the policy's, capped at maxRetryAfter), then a fresh window", () => {
    const store = memoryRateLimitStore();
    const first = store.take({ now: 0, inFlight: 0 }) as { ticket: number };
    store.report({ now: 0, ticket: first.ticket, answered: true, figures: figures(3, 60_000), tooMany: { pause: 5_000 } });
    expect(store.take({ now: 1_000, inFlight: 0 })).toEqual({ wait: 4_000, why: 'pause' });
    expect(store.take({ now: 5_000, inFlight: 0 })).toEqual({ ticket: 2 });
  });
});
