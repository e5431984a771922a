// files.upload reads the caller's stream under limits: never past the declared size, never
// longer than the deadline, and never after the caller aborts. Nothing reaches the API or
// storage when the body is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError, APIUserAbortError, CovetonInputError } from '../../src/index.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());
const opts = { filename: 'a.enc', contentType: 'application/octet-stream' };
const CHUNK = 64 * 1024;

/** A Node-style async iterable that never ends; counts what was pulled and whether it was let go. */
function endless() {
  const state = { pulled: 0, closed: false };
  async function* gen() {
    try {
      for (;;) {
        state.pulled += CHUNK;
        yield new Uint8Array(CHUNK);
      }
    } finally {
      state.closed = true;
    }
  }
  return { body: gen(), state };
}

/** A stream that yields one chunk and then never another; records whether it was cancelled. */
function stalled() {
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(10));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

describe('files.upload reads a stream under limits', () => {
  it('an endless stream declared as 1 KB stops after one chunk with CovetonInputError, and nothing is sent', async () => {
    server = await startFaultServer(() => undefined);
    const before = process.memoryUsage().arrayBuffers;
    const { body, state } = endless();
    const error = await testClient(server.url).files.upload(body, { ...opts, size: 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CovetonInputError);
    expect((error as CovetonInputError).field).toBe('files.upload(size)');
    expect((error as Error).message).toBe('files.upload(size): says 1024 bytes but the stream yields more');
    expect(state.pulled).toBe(CHUNK); // the declared size plus the one chunk that went past it
    expect(state.closed).toBe(true); // the generator was told to stop
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(server.requests).toHaveLength(0);
  });

  it('an endless web ReadableStream is cancelled after the first chunk past the size', async () => {
    server = await startFaultServer(() => undefined);
    let pulls = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new Uint8Array(512));
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    await expect(testClient(server.url).files.upload(body, { ...opts, size: 1024 })).rejects.toThrow(CovetonInputError);
    expect(pulls).toBe(3); // 512 + 512 fit, the third chunk is one too many
    expect(cancelled).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('a stalled stream fails at the deadline with APITimeoutError and is cancelled', async () => {
    server = await startFaultServer(() => undefined);
    const { body, state } = stalled();
    const started = Date.now();
    const error = await testClient(server.url).files.upload(body, { ...opts, size: 100, deadline: 300 }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).kind).toBe('deadline');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5_000);
    expect(state.cancelled).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('a stalled stream ends as soon as the caller aborts, with APIUserAbortError', async () => {
    server = await startFaultServer(() => undefined);
    const { body, state } = stalled();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    const error = await testClient(server.url).files.upload(body, { ...opts, size: 100, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(state.cancelled).toBe(true);
    expect(server.requests).toHaveLength(0);
    // Already aborted: refused before the first read.
    const again = stalled();
    await expect(testClient(server.url).files.upload(again.body, { ...opts, size: 100, signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a stream without a size, a bad size, a short stream and chunks that are not bytes', async () => {
    server = await startFaultServer(() => undefined);
    const coveton = testClient(server.url);
    await expect(coveton.files.upload(stalled().body, opts)).rejects.toThrow('files.upload(size): is required with a stream');
    for (const size of [0, -1, 1.5, Number.NaN, 3 * 1024 ** 3]) {
      await expect(coveton.files.upload(new Uint8Array(4), { ...opts, size })).rejects.toThrow(/^files\.upload\(size\): must be a whole number/);
    }
    const short = new Blob([new Uint8Array(10)]).stream();
    await expect(coveton.files.upload(short, { ...opts, size: 20 })).rejects.toThrow('files.upload(size): says 20 bytes but the body has 10');
    async function* text() {
      yield 'not bytes';
    }
    await expect(coveton.files.upload(text() as unknown as AsyncIterable<Uint8Array>, { ...opts, size: 9 })).rejects.toThrow(
      'files.upload(body): a stream must yield bytes',
    );
    await expect(coveton.files.upload(new Blob([new Uint8Array(5)]), { ...opts, size: 6 })).rejects.toThrow('says 6 bytes but the body has 5');
    expect(server.requests).toHaveLength(0);
  });
});
