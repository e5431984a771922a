// The Node transport's download stream: the body's chunks handed on without a copy where the
// chunk is all of its buffer (Readable.toWeb copied every one: a second 64 MiB of garbage for a
// 64 MiB file), copied where it is a view into a larger buffer, so a reader may transfer what it
// gets; errors and cancellation go through to the body.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { webStream } from '../../src/transport/node-undici.js';

async function read(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(chunk);
  return out;
}

describe('the undici body as a web stream', () => {
  it('hands on a chunk that owns its buffer as it is, and copies a view into a larger one', async () => {
    const whole = new Uint8Array([1, 2, 3, 4]);
    const shared = new Uint8Array(16).fill(9);
    const view = shared.subarray(4, 8);
    const chunks = await read(webStream(Readable.from([whole, view], { objectMode: true }), () => {}));
    expect(chunks.map((c) => [...c])).toEqual([[1, 2, 3, 4], [9, 9, 9, 9]]);
    expect(chunks[0]!.buffer).toBe(whole.buffer);
    expect(chunks[1]!.buffer).not.toBe(shared.buffer);
    expect(chunks[1]!.buffer.byteLength).toBe(4);
    // What it replaces: Readable.toWeb copies even the chunk that owns its buffer.
    const bytes = new Readable({ read() {} }); // byte mode, as a response body is
    bytes.push(Buffer.from(whole.buffer));
    bytes.push(null);
    const [copied] = await read(Readable.toWeb(bytes) as ReadableStream<Uint8Array>);
    expect(copied!.buffer).not.toBe(whole.buffer);
  });

  it('reads nothing ahead of the reader, fails with the body, and destroys the body when cancelled', async () => {
    let pulled = 0;
    const body = new Readable({
      highWaterMark: 0,
      read() {
        pulled++;
        this.push(new Uint8Array(8));
      },
    });
    const stream = webStream(body, (reason) => body.destroy(reason as Error));
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBe(0);
    const reader = stream.getReader();
    expect((await reader.read()).value).toHaveLength(8);
    await reader.cancel(new Error('enough'));
    expect(body.destroyed).toBe(true);

    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(read(webStream(failing, () => {}))).rejects.toThrow('connection reset');
  });
});
