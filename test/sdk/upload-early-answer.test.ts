// files.upload with a streamed source ({ size, stream }) whose storage answers before it has the
// whole body (413 Payload Too Large, a 401 from a proxy in front of the bucket, or a success):
// the transport stops reading, so whatever the SDK pulled from is the caller's open stream (a
// file handle, a socket). Once the call settles the source is cancelled, once, its lock is
// released, and nothing of the SDK's pulls from it again.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { APIError } from '../../src/index.js';
import { testClient } from '../support/client.js';

const MiB = 1024 * 1024;
const SIZE = 32 * MiB;
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

/** An API whose bucket answers each PUT with the next of `answers` as soon as its headers arrive, without reading the body. */
async function earlyBucket(answers: number[]) {
  const puts: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/files/presign') {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ fileId: 'file_early1', uploadUrl: `${url}/bucket/f?sig=1`, method: 'PUT', headers: {}, expiresIn: 900, size: JSON.parse(text).size }));
      });
      return;
    }
    const status = answers.shift() ?? 200;
    puts.push(status);
    res.writeHead(status, { connection: 'close' }).end();
  });
  server.on('connection', (socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r())));
  return { url, puts };
}

/** A source of `size` bytes made 64 KiB per pull; records each stream it opens. */
function watched(size: number) {
  const streams: { stream: ReadableStream<Uint8Array>; pulls: number; cancels: number }[] = [];
  const source = {
    size,
    stream() {
      let sent = 0;
      const entry = { stream: undefined as unknown as ReadableStream<Uint8Array>, pulls: 0, cancels: 0 };
      entry.stream = new ReadableStream<Uint8Array>(
        {
          pull(c) {
            entry.pulls++;
            const n = Math.min(64 * 1024, size - sent);
            if (n === 0) return c.close();
            c.enqueue(new Uint8Array(n));
            sent += n;
          },
          cancel() {
            entry.cancels++;
          },
        },
        { highWaterMark: 0 },
      );
      streams.push(entry);
      return entry.stream;
    },
  };
  return { source, streams };
}

/** Lets whatever is still queued run: pulls a stalled pipe would make show up here. */
const settleDown = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

const opts = { filename: 'big.enc', contentType: 'application/octet-stream' };

describe('files.upload whose storage answers before the body is sent', () => {
  it.each([413, 401])('%i: the call fails with it, and the source is cancelled once, unlocked, and read no more', async (status) => {
    const { url, puts } = await earlyBucket([status]);
    const { source, streams } = watched(SIZE);
    const failed = await testClient(url, { maxRetries: 0 }).files.upload(source, opts).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(APIError);
    expect((failed as APIError).status).toBe(status);
    expect(puts).toEqual([status]);
    await settleDown();
    expect(streams.map((s) => [s.cancels, s.stream.locked])).toEqual([[1, false]]);
    const pulls = streams[0]!.pulls;
    await settleDown();
    expect(streams[0]!.pulls).toBe(pulls);
  });

  it('a success before the whole body: the upload resolves, and the source is cancelled once and unlocked', async () => {
    const { url, puts } = await earlyBucket([200]);
    const { source, streams } = watched(SIZE);
    expect(await testClient(url).files.upload(source, opts)).toEqual({ fileId: 'file_early1', size: SIZE });
    expect(puts).toEqual([200]);
    await settleDown();
    expect(streams.map((s) => [s.cancels, s.stream.locked])).toEqual([[1, false]]);
  });

  it('a 503 before the body, then a success: the first read is cancelled before the retry opens the next', async () => {
    const { url, puts } = await earlyBucket([503, 200]);
    const { source, streams } = watched(SIZE);
    expect(await testClient(url).files.upload(source, opts)).toEqual({ fileId: 'file_early1', size: SIZE });
    expect(puts).toEqual([503, 200]);
    await settleDown();
    expect(streams.map((s) => [s.cancels, s.stream.locked])).toEqual([
      [1, false],
      [1, false],
    ]);
  });

  it("a source that fails (its pull throws) ends unlocked, on every attempt's read", async () => {
    const { url } = await earlyBucket([]);
    const streams: ReadableStream<Uint8Array>[] = [];
    const source = {
      size: 100,
      stream() {
        const stream = new ReadableStream<Uint8Array>({ pull: () => Promise.reject(new Error('disk gone')) }, { highWaterMark: 0 });
        streams.push(stream);
        return stream;
      },
    };
    await testClient(url, { maxRetries: 2 }).files.upload(source, opts).catch(() => undefined);
    await settleDown();
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.map((s) => s.locked)).toEqual(streams.map(() => false));
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('cannot close'))],
    ['never settles', () => new Promise<void>(() => {})],
  ])("a source whose cancel %s is still unlocked once storage's early 413 ends the upload", async (_how, cancel) => {
    const { url } = await earlyBucket([413]);
    const streams: ReadableStream<Uint8Array>[] = [];
    const source = {
      size: SIZE,
      stream() {
        const stream = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(64 * 1024)), cancel }, { highWaterMark: 0 });
        streams.push(stream);
        return stream;
      },
    };
    const failed = await testClient(url, { maxRetries: 0 }).files.upload(source, opts).catch((e: unknown) => e);
    expect((failed as APIError).status).toBe(413);
    await settleDown();
    expect(streams.map((s) => s.locked)).toEqual([false]);
  });
});
