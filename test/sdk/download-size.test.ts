// files.download holds storage to the size the API declared (FileDownload.size): a short, empty
// (204), partial (206), cut-off or endless body is an UnexpectedResponseError, never a success.
// Found by a hostile-server review: each of these resolved, and an endless stream never ended.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const SIZE = 1000;

/** The API declares a 1000-byte file; storage answers with `storage`. Returns the storage GETs seen. */
async function declared(storage: (res: ServerResponse) => unknown, link: { size: unknown } = { size: SIZE }) {
  server = await startFaultServer((req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Signature=s`, expiresIn: 300, contentType: 'application/octet-stream', filename: 'x.enc', ...link });
    }
    return storage(res);
  });
  return () => server.requests.filter((r) => r.path.startsWith('/storage/'));
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
    return { bytes, error: undefined };
  } catch (error) {
    return { bytes, error };
  }
}

const faults: [string, (res: ServerResponse) => unknown, number, string][] = [
  ['a short body (Content-Length 10)', (res) => res.writeHead(200, { 'Content-Length': '10' }).end(Buffer.alloc(10)), 200, 'files.download answered 200 with 10 bytes (the API declared 1000 bytes), against the API contract.'],
  ['a 204', (res) => res.writeHead(204).end(), 204, 'files.download answered 204 with no whole file (only a 200 is one) (the API declared 1000 bytes), against the API contract.'],
  [
    'a 206 of the first 10 bytes',
    (res) => res.writeHead(206, { 'Content-Length': '10', 'Content-Range': 'bytes 0-9/1000' }).end(Buffer.alloc(10)),
    206,
    'files.download answered 206 with no whole file (only a 200 is one) (the API declared 1000 bytes), against the API contract.',
  ],
  [
    'a close-delimited body cut off after 10 bytes',
    (res) => {
      res.writeHead(200, { Connection: 'close' }); // no Content-Length, no chunking: the close ends it
      res.end(Buffer.alloc(10));
    },
    200,
    'files.download answered 200 with 10 bytes (the API declared 1000 bytes), against the API contract.',
  ],
];

describe('files.download and the size the API declared', () => {
  for (const [name, storage, status, message] of faults) {
    it(`${name}: UnexpectedResponseError, as bytes and as a stream, sent once`, async () => {
      const gets = await declared(storage);
      const coveton = testClient(server.url);
      const error = await coveton.files.download('file_1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).status).toBe(status);
      expect((error as Error).message).toBe(message);
      expect(gets()).toHaveLength(1);
      // As a stream: a 204 or 206 fails the call; a 200 short of the size errors the stream at its end.
      const streamed = await coveton.files.download('file_1', { as: 'stream' }).then(readAll, (e: unknown) => ({ bytes: -1, error: e }));
      expect(streamed.error).toBeInstanceOf(UnexpectedResponseError);
      expect((streamed.error as Error).message).toBe(message);
      expect(streamed.bytes).toBe(status === 200 ? 10 : -1);
      expect(gets()).toHaveLength(2);
    });
  }

  it('an endless stream hands on 1000 bytes and errors once byte 1001 arrives, and the connection is closed', async () => {
    let written = 0;
    let closed!: Promise<void>;
    await declared((res) => {
      res.writeHead(200); // chunked, never ending
      const socket = res.socket as Socket;
      closed = new Promise((resolve) => socket.once('close', () => resolve()));
      const chunk = Buffer.alloc(100);
      const pump = () => {
        while (!socket.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const stream = await testClient(server.url).files.download('file_1', { as: 'stream' });
    const { bytes, error } = await readAll(stream);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toBe('files.download answered 200 with more bytes (the API declared 1000 bytes), against the API contract.');
    expect(bytes).toBe(SIZE); // the crossing chunk's first bytes up to the size, none past it
    await closed; // the SDK let the connection go rather than read on
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('exactly the declared size: the bytes, and the whole stream', async () => {
    await declared((res) => res.writeHead(200, { 'Content-Length': String(SIZE) }).end(Buffer.alloc(SIZE, 7)));
    const coveton = testClient(server.url);
    expect(await coveton.files.download('file_1')).toEqual(new Uint8Array(SIZE).fill(7));
    expect(await readAll(await coveton.files.download('file_1', { as: 'stream' }))).toEqual({ bytes: SIZE, error: undefined });
  });

  for (const size of [undefined, 0, '1000', 1.5]) {
    it(`a download link whose size is ${JSON.stringify(size)}: UnexpectedResponseError, and storage gets nothing`, async () => {
      const gets = await declared((res) => res.writeHead(200).end(Buffer.alloc(SIZE)), { size });
      const error = await testClient(server.url).files.download('file_1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as Error).message).toBe('files.getDownloadUrl (GET /files/{id}/download) answered 200 with no usable size, against the API contract.');
      expect(gets()).toHaveLength(0);
    });
  }
});
