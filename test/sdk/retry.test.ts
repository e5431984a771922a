import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APIConnectionError, ConflictError, InternalServerError, RateLimitedError } from '../../src/index.js';
import { apiError, drop, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyBody, apiKeyRecord, testClient } from '../support/client.js';
import type { RetryEvent } from '../../src/public/events.js';
import { drive } from '../support/clock.js';

let server: FaultServer;
afterEach(() => server?.close());

const CODES: Record<number, string> = { 408: 'BAD_REQUEST', 429: 'RATE_LIMITED', 500: 'INTERNAL', 502: 'INTERNAL', 503: 'INTERNAL', 504: 'INTERNAL' };

describe('retries', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) {
    it(`retries a GET after ${status}, twice by default, then succeeds`, async () => {
      server = await startFaultServer((req, res, i) =>
        i < 2 ? apiError(res, status, CODES[status]!, 'transient', {}, status === 429 ? { 'Retry-After': '0' } : {}) : json(res, 200, apiKeyRecord),
      );
      const events: RetryEvent[] = [];
      const coveton = testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } });
      await expect(coveton.apiKeys.get('key_01HZX3K8W2Q9')).resolves.toMatchObject({ id: 'key_01HZX3K8W2Q9' });
      expect(server.requests).toHaveLength(3);
      expect(events.map((e) => [e.attempt, e.cause.constructor.name])).toEqual([
        [2, status === 429 ? 'RateLimitedError' : status === 408 ? 'BadRequestError' : 'InternalServerError'],
        [3, status === 429 ? 'RateLimitedError' : status === 408 ? 'BadRequestError' : 'InternalServerError'],
      ]);
    });
  }

  it('gives up after maxRetries and throws the last error', async () => {
    server = await startFaultServer((req, res) => apiError(res, 503, 'INTERNAL', 'down'));
    const coveton = testClient(server.url);
    await expect(coveton.apiKeys.list().then((p) => p)).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
    const none = testClient(server.url, { maxRetries: 0 });
    await expect(none.permissions.list()).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
  });

  it('retries a connection reset, and re-sends the body intact', async () => {
    server = await startFaultServer((req, res, i) => (i === 0 ? drop(res) : json(res, 201, { ...apiKeyRecord, secret: 'ak_test_x' })));
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } });
    await coveton.apiKeys.create({ ...apiKeyBody, description: 'ünïcødé ✓' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
    expect(JSON.parse(server.requests[1]!.body)).toMatchObject({ description: 'ünïcødé ✓' });
    expect(events[0]!.cause).toBeInstanceOf(APIConnectionError);
  });

  it('retries a refused connection for a safe request, then throws APIConnectionError', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    let calls = 0;
    const coveton = testClient(`http://127.0.0.1:${port}`, {
      fetch: (r) => {
        calls++;
        return fetch(r);
      },
    });
    const error = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(calls).toBe(3);
  });

  it('never retries a POST without a key, a PATCH, or a 409', async () => {
    server = await startFaultServer((req, res) =>
      req.method === 'PATCH' && req.path.includes('key_409') ? apiError(res, 409, 'CONFLICT', 'revoked is final') : apiError(res, 503, 'INTERNAL', 'down'),
    );
    const coveton = testClient(server.url);
    await expect(coveton.notifications.markRead({ all: true })).rejects.toBeInstanceOf(InternalServerError);
    await expect(coveton.apiKeys.update('key_1', { name: 'x' })).rejects.toBeInstanceOf(InternalServerError);
    await expect(coveton.apiKeys.update('key_409', { status: 'active' })).rejects.toBeInstanceOf(ConflictError);
    await expect(coveton.organizations.suspend('org_1', { reason: 'fraud' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'POST']);
  });

  it('repeats a one-time-credential call (x-retry: if-not-sent) after a 429 or a 408, never after a reset or a 5xx', async () => {
    server = await startFaultServer((req, res, i) => (i === 0 ? apiError(res, 429, 'RATE_LIMITED', 'slow down', {}, { 'Retry-After': '0' }) : i === 1 ? apiError(res, 408, 'TIMEOUT', 'too slow') : drop(res)));
    const coveton = testClient(server.url);
    await expect(coveton.session.completeOAuth('google', { code: 'one-time', state: 'st' })).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(3); // 429 and 408 are repeated (it never ran); the reset is not: the code may be spent
    await server.close();
    server = await startFaultServer((req, res) => apiError(res, 503, 'INTERNAL', 'busy'));
    await expect(testClient(server.url).session.completeOAuth('google', { code: 'one-time', state: 'st' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1); // a 5xx may come after the code was spent
  });

  it('never retries a 409 even on a GET or with an idempotency key', async () => {
    server = await startFaultServer((req, res) => apiError(res, 409, 'CONFLICT', 'state'));
    const coveton = testClient(server.url);
    await expect(coveton.apiKeys.create(apiKeyBody)).rejects.toBeInstanceOf(ConflictError);
    await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(ConflictError);
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once with RateLimitedError when Retry-After is longer than what is left of the deadline', async () => {
    server = await startFaultServer((req, res) => apiError(res, 429, 'RATE_LIMITED', 'slow down', {}, { 'Retry-After': '30' }));
    const coveton = testClient(server.url, { deadline: 5_000 });
    const started = Date.now();
    const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.rateLimit).toMatchObject({ limit: 120, remaining: 119 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not trust a huge Retry-After: past maxRetryAfter it fails at once', async () => {
    server = await startFaultServer((req, res) => apiError(res, 503, 'INTERNAL', 'maintenance', {}, { 'Retry-After': '86400' }));
    const coveton = testClient(server.url);
    await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Retry-After in seconds, on a fake clock', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('onRetry is told the server\'s delay and the retry waits it, to the millisecond', async () => {
    server = await startFaultServer((req, res, i) =>
      i === 0 ? apiError(res, 429, 'RATE_LIMITED', 'slow down', {}, { 'Retry-After': '1' }) : json(res, 200, apiKeyRecord),
    );
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } });
    await drive(coveton.apiKeys.get('key_1'), 50);
    expect(events.map((e) => e.delay)).toEqual([1000]);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeLessThan(1100);
    expect((events[0]!.cause as RateLimitedError).retryAfterMs).toBe(1000);
  });
});
