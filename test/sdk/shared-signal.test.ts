// One caller signal shared by many calls at once (an application's shutdown signal passed to
// every call): the SDK keeps one abort listener on it however many calls, attempts and queued
// waits follow it, so Node never warns (MaxListenersExceededWarning, past 10 listeners), none is
// left once the calls have settled, and aborting it still ends every call.
import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { APIUserAbortError } from '../../src/index.js';
import { apiKeyRecord, testClient } from '../support/client.js';
import { json, serverFixture } from '../support/fault-server.js';

const { serve } = serverFixture();
const CALLS = 25;

/** The listener warnings Node emits while a test runs (emitted on the next tick, so read after one). */
const warnings: string[] = [];
const onWarning = (warning: Error) => void (warning.name === 'MaxListenersExceededWarning' && warnings.push(warning.message));
process.on('warning', onWarning);
afterEach(() => {
  warnings.length = 0;
});
afterAll(() => {
  process.off('warning', onWarning);
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A server that holds every request until `CALLS` of them have arrived; `answer` then says what each gets. */
async function holding(answer: (res: ServerResponse) => void) {
  const held: ServerResponse[] = [];
  let all!: () => void;
  const arrived = new Promise<void>((resolve) => (all = resolve));
  const server = await serve((_req, res) => {
    held.push(res);
    if (held.length === CALLS) all();
  });
  return { server, arrived, release: () => held.forEach(answer) };
}

const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('a caller signal shared by many concurrent calls', () => {
  it(`${CALLS} calls in flight: one listener on the signal, no warning, none left once they succeed`, async () => {
    const { server, arrived, release } = await holding((res) => json(res, 200, apiKeyRecord));
    const shutdown = new AbortController();
    const coveton = testClient(server.url);
    const calls = Array.from({ length: CALLS }, (_, i) => coveton.apiKeys.get(`key_${i}`, { signal: shutdown.signal }));
    await arrived;
    expect(abortListeners(shutdown.signal)).toBe(1);
    release();
    const results = await Promise.all(calls);
    await tick();
    expect(results.map((r) => r.id)).toEqual(Array(CALLS).fill(apiKeyRecord.id));
    expect(abortListeners(shutdown.signal)).toBe(0);
    expect(warnings).toEqual([]);
  });

  it(`aborting it ends all ${CALLS} calls in flight with APIUserAbortError, nothing retried, no listener left`, async () => {
    const { server, arrived } = await holding(() => {});
    const shutdown = new AbortController();
    const coveton = testClient(server.url);
    const calls = Array.from({ length: CALLS }, (_, i) => coveton.apiKeys.get(`key_${i}`, { signal: shutdown.signal }).catch((error: unknown) => error));
    await arrived;
    shutdown.abort();
    const outcomes = await Promise.all(calls);
    await tick();
    expect(outcomes.filter((e) => e instanceof APIUserAbortError)).toHaveLength(CALLS);
    expect(server.requests).toHaveLength(CALLS);
    expect(abortListeners(shutdown.signal)).toBe(0);
    expect(warnings).toEqual([]);
  });

  it(`${CALLS} calls waiting in the rate-limit queue (maxConcurrent: 1) share the one listener; aborting ends them all`, async () => {
    const server = await serve(() => {}); // the first call holds the only slot
    const shutdown = new AbortController();
    const coveton = testClient(server.url, { rateLimit: { maxConcurrent: 1 } });
    const calls = Array.from({ length: CALLS }, (_, i) => coveton.apiKeys.get(`key_${i}`, { signal: shutdown.signal }).catch((error: unknown) => error));
    while (server.requests.length < 1) await tick();
    await tick();
    expect(abortListeners(shutdown.signal)).toBe(1);
    shutdown.abort();
    const outcomes = await Promise.all(calls);
    await tick();
    expect(outcomes.filter((e) => e instanceof APIUserAbortError)).toHaveLength(CALLS);
    expect(server.requests).toHaveLength(1);
    expect(abortListeners(shutdown.signal)).toBe(0);
    expect(warnings).toEqual([]);
  });
});
