// A download stored with a Content-Encoding is not held to the declared size (the encoded
// object's: download-encoded.test.ts), but its decoded bytes are bounded all the same: a storage
// server that sends a gzip or br bomb (a small body that inflates to GBs) or an endless encoded
// stream gets at most max(declared size, maxResponseBytes) decoded bytes to the reader, then the
// UnexpectedResponseError the identity case ends with, and the connection closed. Bytes mode was
// already held to maxResponseBytes (BodyTooLargeError). Found by review: with `as: 'stream'` an
// encoded body was read to its end, a 1 MB gzip bomb handing the reader 1 GiB.
import { brotliCompressSync, constants, createGzip, gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, UnexpectedResponseError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const MiB = 1024 * 1024;
const CAP = 8 * MiB; // maxResponseBytes' default
// 16 gzip members of 64 MiB of zeros: 1,044,000 bytes that inflate to 1 GiB (RFC 1952 allows members one after another).
const GZIP_BOMB = Buffer.concat(Array<Buffer>(16).fill(gzipSync(Buffer.alloc(64 * MiB), { level: 9 })));
// 102 bytes that inflate to 64 MiB.
const BR_BOMB = brotliCompressSync(Buffer.alloc(64 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });

/** The API declares `size`; storage answers with `storage`. Resolves `closed` when the storage GET's socket closes. */
async function stored(size: number, storage: (res: ServerResponse) => void) {
  const seen = { closed: undefined as Promise<void> | undefined };
  server = await startFaultServer((req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Signature=s`, expiresIn: 300, contentType: 'application/octet-stream', filename: 'x.enc', size });
    }
    const socket = res.socket!;
    seen.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    storage(res);
  });
  return seen;
}

/** Reads a stream to its end or its error; past `ceiling` bytes it stops and cancels (the bound did not hold). */
async function drain(stream: ReadableStream<Uint8Array>, ceiling = CAP + 16 * MiB) {
  const reader = stream.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: undefined };
      bytes += value.byteLength;
      if (bytes > ceiling) {
        await reader.cancel();
        return { bytes, error: 'read past the ceiling' };
      }
    }
  } catch (error) {
    return { bytes, error };
  }
}

const over = (limit: number, size: number) => `files.download answered 200 with more than ${limit} bytes once decoded (the API declared ${size} bytes), against the API contract.`;

describe('files.download of an encoded body that does not end where it should', () => {
  const bombs: [string, Buffer, (res: ServerResponse) => void][] = [
    ['a gzip bomb (1,044,000 bytes declared and sent, 1 GiB decoded)', GZIP_BOMB, (res) => res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(GZIP_BOMB.length) }).end(GZIP_BOMB)],
    ['a br bomb (102 bytes, 64 MiB decoded) on a response that never ends', BR_BOMB, (res) => void res.writeHead(200, { 'Content-Encoding': 'br' }).write(BR_BOMB)],
  ];
  it.each(bombs)('%s as a stream: 8 MiB reach the reader, then UnexpectedResponseError, and the connection is closed', async (_, bomb, send) => {
    const seen = await stored(bomb.length, send);
    const { bytes, error } = await drain(await testClient(server.url).files.download('file_1', { as: 'stream' }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toBe(over(CAP, bomb.length));
    expect(bytes).toBe(CAP);
    await seen.closed;
  });

  it('an endless gzip stream: max(size, maxResponseBytes) bytes reach the reader, then UnexpectedResponseError; the server stops sending', async () => {
    let fed = 0;
    const seen = await stored(1000, (res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' }); // chunked, never ending
      const socket = res.socket!;
      const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
      gzip.pipe(res);
      socket.once('close', () => gzip.destroy());
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (!socket.destroyed && fed < 4096 * MiB) {
          fed += chunk.length;
          if (!gzip.write(chunk)) return void gzip.once('drain', pump);
        }
      };
      pump();
    });
    const { bytes, error } = await drain(await testClient(server.url, { maxResponseBytes: MiB }).files.download('file_1', { as: 'stream' }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toBe(over(MiB, 1000));
    expect(bytes).toBe(MiB);
    await seen.closed;
    expect(fed).toBeLessThan(64 * MiB); // it stopped because the client let go, not at the guard
  });

  it('the bound is the declared size when that is larger: a stored gzip of incompressible bytes over maxResponseBytes is whole, one byte more is not', async () => {
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24));
    const gzip = gzipSync(data, { level: 0 }); // stored blocks: a little longer than the data
    await stored(gzip.length, (res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzip));
    const whole = await drain(await testClient(server.url, { maxResponseBytes: 64 * 1024 }).files.download('file_1', { as: 'stream' }));
    expect(whole).toEqual({ bytes: data.length, error: undefined });
    await server.close();
    // Declared one byte short of the decoded length (and over the cap): the bound, then the error.
    await stored(data.length - 1, (res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzip));
    const cut = await drain(await testClient(server.url, { maxResponseBytes: 64 * 1024 }).files.download('file_1', { as: 'stream' }));
    expect(cut.error).toBeInstanceOf(UnexpectedResponseError);
    expect((cut.error as Error).message).toBe(over(data.length - 1, data.length - 1));
    expect(cut.bytes).toBe(data.length - 1);
  });

  it('as bytes, the gzip bomb is a BodyTooLargeError at maxResponseBytes (held before this change too), and the connection is closed', async () => {
    const seen = await stored(GZIP_BOMB.length, (res) => res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(GZIP_BOMB.length) }).end(GZIP_BOMB));
    const error = await testClient(server.url).files.download('file_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).limit).toBe(CAP);
    await seen.closed;
  });
});
