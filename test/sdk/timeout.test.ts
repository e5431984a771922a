import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError, APIUserAbortError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyRecord, testClient } from '../support/client.js';
import { eventually } from '../support/clock.js';
import type { RetryEvent } from '../../src/public/events.js';

let server: FaultServer;
afterEach(() => server?.close());
const stall = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('timeouts and aborts', () => {
  it('times out a slow attempt and retries it with a fresh signal', async () => {
    server = await startFaultServer(async (req, res, i) => {
      if (i === 0) await stall(400);
      json(res, 200, apiKeyRecord);
    });
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { timeout: 100, hooks: { onRetry: (e) => void events.push(e) } });
    await expect(coveton.apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
    expect(server.requests).toHaveLength(2);
    expect(events[0]!.cause).toBeInstanceOf(APITimeoutError);
    expect((events[0]!.cause as APITimeoutError).kind).toBe('attempt');
  });

  it('covers a body that stalls after the headers', async () => {
    server = await startFaultServer(async (req, res, i) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":');
      if (i === 0) await stall(1000);
      res.end('"key_1"}');
    });
    // Room for a loaded machine: the first body stalls well past the timeout, the second does not stall.
    const coveton = testClient(server.url, { timeout: 300 });
    await expect(coveton.apiKeys.get('key_1')).resolves.toEqual({ id: 'key_1' });
    expect(server.requests).toHaveLength(2);
  });

  it('ends the whole call at the deadline, whatever the retries left', async () => {
    server = await startFaultServer(async (req, res) => {
      await stall(1000);
      json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(server.url, { timeout: 150, deadline: 400, maxRetries: 10 });
    const started = Date.now();
    const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APITimeoutError;
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error.kind).toBe('deadline');
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(800);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('a caller abort ends the call at once, with no retry', async () => {
    server = await startFaultServer(async (req, res) => {
      await stall(1000);
      json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(server.url);
    const controller = new AbortController();
    const call = coveton.apiKeys.get('key_1', { signal: controller.signal });
    await eventually(() => server.requests.length === 1); // the request is at the server
    const started = Date.now();
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });

  it('a caller abort during the wait between retries ends it at once', async () => {
    server = await startFaultServer((req, res) => json(res, 503, { error: { code: 'INTERNAL', message: 'x' } }, { 'Retry-After': '5' }));
    const coveton = testClient(server.url);
    const controller = new AbortController();
    const call = coveton.apiKeys.get('key_1', { signal: controller.signal });
    await stall(100);
    const started = Date.now();
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(100);
    expect(server.requests).toHaveLength(1);
  });

  it('a timeout of one call does not touch the next (each attempt has its own signal)', async () => {
    server = await startFaultServer(async (req, res, i) => {
      if (i === 0) await stall(300);
      json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(server.url, { timeout: 100, maxRetries: 0 });
    await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(APITimeoutError);
    await expect(coveton.apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
  });

  it('per-call options override the client: timeout and maxRetries', async () => {
    server = await startFaultServer(async (req, res) => {
      await stall(200);
      json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(server.url, { timeout: 50, maxRetries: 0 });
    await expect(coveton.apiKeys.get('key_1', { timeout: 2000 })).resolves.toMatchObject({ id: apiKeyRecord.id });
  });
});
