// Waits the limiter takes from responses are bounded (the hardening review: a reset ten hours
// ahead queued the next call for ten hours; a reset sent in milliseconds queued it forever and
// flooded stderr with TimeoutOverflowWarning), and the pluggable store behind the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton, RateLimitedError, type CovetonOptions, type RateLimitDecision, type RateLimitStore } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';

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
    expect((error as RateLimitedError).retryAfter).toBeGreaterThan(9 * 3600);
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
      await new Promise((r) => setTimeout(r, 50));
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
    await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(RateLimitedError);
    const started = Date.now();
    await coveton.apiKeys.get('key_1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(1);
  });

  it('a store that fails is replaced by the local figures with one warning, and used again once it answers', async () => {
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
    const coveton = client({ rateLimit: { store }, logger, logLevel: 'info' });
    for (let i = 0; i < 5; i++) await coveton.apiKeys.get('key_1');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toContain('shared rate-limit store is unreachable');
    down = false;
    await new Promise((r) => setTimeout(r, 1_050)); // the store is asked again a second later
    await coveton.apiKeys.get('key_1');
    expect(taken).toBe(1);
    expect(logger.info.mock.calls.some(([m]) => String(m).includes('answers again'))).toBe(true);
    expect(server.requests).toHaveLength(6);
  });
});
