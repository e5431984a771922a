// The Node transport's download stream: the body's chunks handed on without a copy where the
// chunk is all of its buffer (Readable.toWeb copied every one: a second 64 MiB of garbage for a
// 64 MiB file), copied where it is a view into a larger buffer, so a reader may transfer what it
// gets; a reader slower than the body gets its chunks one by one, never joined into a new
// buffer; errors, a close before the end and cancellation go through.
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

  it('hands a reader slower than the body each chunk as it was pushed, never joined with the ones waiting behind it', async () => {
    // A response body in byte mode, three socket reads waiting before the reader asks: read()
    // with no size, as an async iterator reads, joins them into one new buffer.
    const pushed = [new Uint8Array(8).fill(1), new Uint8Array(8).fill(2), new Uint8Array(8).fill(3)];
    const body = new Readable({ highWaterMark: 64, read() {} });
    for (const chunk of pushed) body.push(Buffer.from(chunk.buffer));
    body.push(null);
    const chunks = await read(webStream(body, () => {}));
    expect(chunks.map((c) => c.buffer)).toEqual(pushed.map((c) => c.buffer));
    for (const [i, chunk] of chunks.entries()) expect(chunk.buffer).toBe(pushed[i]!.buffer);
  });

  it('fails when the body closes before its end, instead of ending short', async () => {
    const body = new Readable({ read() {} });
    const stream = webStream(body, () => {});
    const reader = stream.getReader();
    body.push(Buffer.from([1, 2, 3]));
    expect([...(await reader.read()).value!]).toEqual([1, 2, 3]);
    body.destroy();
    await expect(reader.read()).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
