// The per-attempt abort source: a real AbortSignal (an EventTarget, much of what a fast local
// call costs) is made only for whoever asks for one. undici takes the source as it is, so the
// Node build makes none per call; fetch asks, and gets one that follows the source.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APITimeoutError, APIUserAbortError } from '../../src/index.js';
import { createCoveton as viaUndici } from '../../src/index.node.js';
import { attemptSignal } from '../../src/pipeline/signal.js';
import { apiKeyRecord, TEST_KEY } from '../support/client.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';

let server: FaultServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  await server?.close();
});

/** Counts the AbortControllers made while `work` runs. */
async function controllersMade(work: () => Promise<unknown>): Promise<number> {
  let made = 0;
  const Real = globalThis.AbortController;
  vi.stubGlobal('AbortController', class extends Real {
    constructor() {
      super();
      made++;
    }
  });
  try {
    await work();
  } finally {
    vi.unstubAllGlobals();
  }
  return made;
}

describe('attemptSignal', () => {
  it('fires its listeners on the timeout with the timeout error, and makes an AbortSignal only when asked, already aborted with the same reason', async () => {
    vi.useFakeTimers();
    let source: ReturnType<typeof attemptSignal> | undefined;
    const heard: unknown[] = [];
    const made = await controllersMade(async () => {
      source = attemptSignal(undefined, 100, Infinity);
      source.addEventListener('abort', () => heard.push(source!.reason));
      vi.advanceTimersByTime(100);
    });
    expect(made).toBe(0);
    expect(source!.aborted).toBe(true);
    expect(source!.why()).toBe('attempt');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeInstanceOf(APITimeoutError);
    const signal = source!.signal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(heard[0]);
  });

  it("follows the caller's signal, and a listener removed is not called", () => {
    const caller = new AbortController();
    const source = attemptSignal(caller.signal, Infinity, Infinity);
    const signal = source.signal; // asked for before: it follows
    const removed = vi.fn();
    const kept = vi.fn();
    source.addEventListener('abort', removed);
    source.addEventListener('abort', kept);
    source.removeEventListener('abort', removed);
    caller.abort();
    expect(source.why()).toBe('caller');
    expect(source.reason).toBeInstanceOf(APIUserAbortError);
    expect(signal.reason).toBe(source.reason);
    expect(removed).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
    source.dispose();
  });
});

describe('AbortSignals made per call', () => {
  it('the Node build (undici) makes none for 5 calls with the default timeout (one per call before)', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const options = { baseUrl: server.url, apiKey: TEST_KEY, logLevel: 'off' as const };
    const node = viaUndici(options);
    await node.apiKeys.get('key_1'); // warm: connections
    expect(await controllersMade(async () => { for (let i = 0; i < 5; i++) await node.apiKeys.get('key_1'); })).toBe(0);
  });
});
