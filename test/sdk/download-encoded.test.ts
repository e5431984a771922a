// A file stored with `Content-Encoding: gzip` (or br) comes as stored and the transport decodes
// it: the API's declared size is the stored object's, so files.download does not hold the decoded
// bytes to it, in bytes and stream mode. A stored body cut off mid-way by the connection still
// fails (the HTTP framing, Content-Length or chunked, tells, and undici's decoder checks its own
// end). Known limit: fetch's decoder (lenient, as browsers are) accepts a gzip/br stream that
// stops early inside a whole HTTP message; only the Node entry's undici transport refuses it. Found by a second review: the size check (eed05ab's download guard)
// refused every stored-gzip download with UnexpectedResponseError.
import { gzipSync, brotliCompressSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CovetonError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient, TRANSPORT } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const DATA = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
const GZIP = gzipSync(DATA);
const BR = brotliCompressSync(DATA);

/** The API declares the stored (encoded) object's size; storage answers with `storage`. */
async function stored(size: number, storage: (res: ServerResponse) => unknown) {
  server = await startFaultServer((req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Signature=s`, expiresIn: 300, contentType: 'application/octet-stream', filename: 'x.bin', size });
    }
    return storage(res);
  });
  return () => server.requests.filter((r) => r.path.startsWith('/storage/')).length;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const download = (as: 'bytes' | 'stream') => {
  const files = testClient(server.url, { maxRetries: 0 }).files;
  return as === 'stream' ? files.download('file_1', { as: 'stream' }).then(readAll) : files.download('file_1').then((bytes) => Buffer.from(bytes));
};

describe.each(['bytes', 'stream'] as const)('files.download of an encoded stored object (%s)', (as) => {
  it('a stored gzip object (Content-Length the encoded size) is the decoded file', async () => {
    const gets = await stored(GZIP.length, (res) => res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(GZIP.length) }).end(GZIP));
    expect((await download(as)).equals(DATA)).toBe(true);
    expect(gets()).toBe(1);
  });

  it('a stored br object sent chunked is the decoded file', async () => {
    const gets = await stored(BR.length, (res) => res.writeHead(200, { 'Content-Encoding': 'br' }).end(BR));
    expect((await download(as)).equals(DATA)).toBe(true);
    expect(gets()).toBe(1);
  });

  it('a stored gzip body cut off by the connection (Content-Length the encoded size) fails with a CovetonError', async () => {
    const gets = await stored(GZIP.length, (res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(GZIP.length) });
      res.write(GZIP.subarray(0, GZIP.length >> 1), () => res.destroy());
    });
    await expect(download(as)).rejects.toBeInstanceOf(CovetonError);
    expect(gets()).toBe(1);
  });

  it('a stored gzip/br body that stops early inside a whole HTTP message: undici refuses it, fetch does not (known limit)', async () => {
    for (const [coding, encoded] of [['gzip', GZIP], ['br', BR]] as const) {
      await server?.close();
      await stored(encoded.length, (res) => res.writeHead(200, { 'Content-Encoding': coding }).end(encoded.subarray(0, encoded.length >> 1)));
      if (TRANSPORT === 'undici') await expect(download(as)).rejects.toBeInstanceOf(CovetonError);
      else expect((await download(as)).length).toBeLessThan(DATA.length);
    }
  });

  it('an identity-coded short body is still held to the declared size', async () => {
    await stored(DATA.length, (res) => res.writeHead(200, { 'Content-Encoding': 'identity' }).end(DATA.subarray(0, 10)));
    await expect(download(as)).rejects.toBeInstanceOf(CovetonError);
  });
});
