import { afterEach, describe, expect, it, vi } from 'vitest';
import { APITimeoutError, APIUserAbortError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyRecord, testClient } from '../support/client.js';
import { eventually } from '../support/clock.js';
import type { ServerResponse } from 'node:http';
import type { RetryEvent } from '../../src/public/events.js';

let server: FaultServer;
afterEach(() => {
  vi.useRealTimers();
  return server?.close();
});
const stall = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Answers nothing until the client gives up on the request. */
const held = (res: ServerResponse) => new Promise((hungUp) => res.on('close', hungUp));

describe('timeouts and aborts', () => {
  it('times out a slow attempt and retries it with a fresh signal', async () => {
    // The clock moves only for the first attempt's timeout and the backoff: the retry has all the
    // time it needs. With 100 ms of real time for it, a loaded machine timed the retry out too
    // ("got 3" requests, in full runs).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server = await startFaultServer(async (req, res, i) => {
      if (i === 0) return held(res);
      json(res, 200, apiKeyRecord);
    });
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { timeout: 100, hooks: { onRetry: (e) => void events.push(e) } });
    const call = coveton.apiKeys.get('key_1');
    await eventually(() => server.requests.length === 1);
    await vi.advanceTimersByTimeAsync(100); // the first attempt's timeout
    await eventually(() => events.length === 1); // onRetry, then the backoff's timer
    await vi.advanceTimersByTimeAsync(5); // testClient's backoff: 5 ms, no jitter
    await expect(call).resolves.toMatchObject({ id: apiKeyRecord.id });
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
    // The clock moves a step at a time, each once the SDK waits on it. On real timers a loaded
    // machine ran them late: the deadline ran out in a backoff wait, and the call ended with the
    // attempt's timeout (kind 'attempt'), as the policy says it should then.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    server = await startFaultServer((req, res) => held(res));
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { timeout: 150, deadline: 400, maxRetries: 10, hooks: { onRetry: (e) => void events.push(e) } });
    const started = Date.now();
    const failed = coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    for (const retry of [0, 1]) {
      await eventually(() => server.requests.length === retry + 1);
      await vi.advanceTimersByTimeAsync(150); // the attempt's timeout
      await eventually(() => events.length === retry + 1);
      await vi.advanceTimersByTimeAsync(events[retry]!.delay); // testClient's backoff: 5 ms, then 10
    }
    await eventually(() => server.requests.length === 3);
    await vi.advanceTimersByTimeAsync(85); // what is left of the deadline, less than a timeout
    const error = (await failed) as APITimeoutError;
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error.kind).toBe('deadline');
    expect(Date.now() - started).toBe(400);
    expect(events.map((e) => e.delay)).toEqual([5, 10]);
    expect(server.requests).toHaveLength(3);
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
    // "At once": on a clock that does not move, before any of the 5 s wait has passed. The abort
    // came after 100 ms of real time before, which on a loaded machine was before the first
    // request had arrived (0 requests).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server = await startFaultServer((req, res) => json(res, 503, { error: { code: 'INTERNAL', message: 'x' } }, { 'Retry-After': '5' }));
    const events: RetryEvent[] = [];
    const coveton = testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } });
    const controller = new AbortController();
    let error: unknown;
    const call = coveton.apiKeys.get('key_1', { signal: controller.signal }).catch((e: unknown) => (error = e));
    await eventually(() => events.length === 1); // answered: the wait begins
    expect(events[0]!.delay).toBe(5_000);
    controller.abort();
    await eventually(() => error !== undefined);
    expect(error).toBeInstanceOf(APIUserAbortError);
    await call;
    expect(server.requests).toHaveLength(1);
  });

  it('a timeout of one call does not touch the next (each attempt has its own signal)', async () => {
    // The clock moves only for the first call's timeout: the second has all the time it needs
    // (with 100 ms of real time, a loaded machine timed it out too).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server = await startFaultServer(async (req, res, i) => {
      if (i === 0) return held(res);
      json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(server.url, { timeout: 100, maxRetries: 0 });
    const first = coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    await eventually(() => server.requests.length === 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBeInstanceOf(APITimeoutError);
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
