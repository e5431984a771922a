// One caller signal shared by many calls at once (an application's shutdown signal passed to
// every call): the SDK keeps one abort listener on it however many calls, attempts and queued
// waits follow it, so Node never warns (MaxListenersExceededWarning, past 10 listeners), none is
// left once the calls have settled, and aborting it still ends every call.
import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { attemptSignal } from '../../src/pipeline/signal.js';
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

/**
 * A signal as EventEmitter-based polyfills make it (node-abort-controller): `addEventListener`
 * takes only functions, keeps every copy it is given, and throws on anything else, as
 * EventEmitter's `on` does.
 */
function emitterSignal() {
  const listeners: ((event: unknown) => void)[] = [];
  const signal = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener(_type: string, listener: unknown) {
      if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type function');
      listeners.push(listener as (event: unknown) => void);
    },
    removeEventListener(_type: string, listener: unknown) {
      const at = listeners.indexOf(listener as (event: unknown) => void);
      if (at >= 0) listeners.splice(at, 1);
    },
    abort(reason: unknown) {
      signal.aborted = true;
      signal.reason = reason;
      for (const listener of [...listeners]) listener({ type: 'abort' });
    },
  };
  return { signal, listeners };
}

describe('followers of one caller signal', () => {
  it('a polyfilled signal (EventEmitter-based) works: one listener, a function, while calls run; none after; its abort ends them', async () => {
    const { server, arrived, release } = await holding((res) => json(res, 200, apiKeyRecord));
    const client = testClient(server.url, { maxRetries: 0 });
    const { signal, listeners } = emitterSignal();
    const calls = Array.from({ length: 3 }, () => client.apiKeys.get('key_1', { signal: signal as unknown as AbortSignal }));
    const more = Array.from({ length: CALLS - 3 }, () => client.apiKeys.get('key_1', { signal: signal as unknown as AbortSignal }));
    await arrived;
    expect(listeners.map((l) => typeof l)).toEqual(['function']);
    release();
    await Promise.all([...calls, ...more]);
    expect(listeners).toEqual([]);

    const { signal: second } = emitterSignal();
    const aborted = Array.from({ length: 2 }, () => client.apiKeys.get('key_1', { signal: second as unknown as AbortSignal }).catch((e: unknown) => e));
    await tick();
    second.abort(new Error('shutdown'));
    for (const error of await Promise.all(aborted)) expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it('an attempt that fired stops following the caller at once, before it is disposed (a stream nobody reads is never disposed)', async () => {
    vi.useFakeTimers();
    try {
      const caller = new AbortController();
      const attempts = [attemptSignal(caller.signal, 100, Infinity), attemptSignal(caller.signal, 100, Infinity)];
      expect(abortListeners(caller.signal)).toBe(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(attempts.map((s) => s.why())).toEqual(['attempt', 'attempt']);
      expect(abortListeners(caller.signal)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
