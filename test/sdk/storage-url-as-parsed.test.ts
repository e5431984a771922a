// The presigned URL goes out as the URL the storage checks parsed (../../src/transport/storage-url.ts),
// on every transport: undici takes a string as it is, so the Node entry sent the API's raw
// text (a space failed there as an invalid argument and was retried; raw non-ASCII bytes went
// in the request line; the fragment reached storage) while fetch sent the parsed form. Found by
// a hostile-server review.
import { afterEach, describe, expect, it } from 'vitest';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TRANSPORT, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const PATHS: [sent: string, arrives: string][] = [
  ['/storage/report 1.enc?X-Signature=abc', '/storage/report%201.enc?X-Signature=abc'],
  ['/storage/résumé.enc?X-Signature=abc', '/storage/r%C3%A9sum%C3%A9.enc?X-Signature=abc'],
  ['/storage/o.enc?X-Signature=abc#frag', '/storage/o.enc?X-Signature=abc'],
  // A signed S3 key may hold dot segments and quotes: sent as written where the transport lets it
  // (a parser would collapse them and the signature would not match; fetch always collapses).
  // Found by a second review of the change that first sent every URL as parsed.
  [
    "/storage/reports/../2026/./q1.enc?X-Signature=abc&n=it's",
    TRANSPORT === 'undici' ? "/storage/reports/../2026/./q1.enc?X-Signature=abc&n=it's" : '/storage/2026/q1.enc?X-Signature=abc&n=it%27s',
  ],
];

describe('presigned storage URLs are sent as parsed', () => {
  for (const [sent, arrives] of PATHS) {
    it(`download of ${JSON.stringify(sent)}: storage gets ${arrives}, once`, async () => {
      server = await startFaultServer((req, res) => {
        if (req.path === '/files/file_1/download') return json(res, 200, { fileId: 'file_1', url: `${server.url}${sent}`, size: 3, contentType: 'a', filename: 'a', expiresIn: 300 });
        res.writeHead(200, { 'content-length': '3' }).end('abc');
      });
      const bytes = await testClient(server.url).files.download('file_1');
      expect(Buffer.from(bytes).toString()).toBe('abc');
      expect(server.requests.map((r) => r.path)).toEqual(['/files/file_1/download', arrives]);
    });

    it(`upload to ${JSON.stringify(sent)}: storage gets ${arrives}, once`, async () => {
      server = await startFaultServer((req, res) => {
        if (req.path === '/files/presign') return json(res, 201, { fileId: 'file_1', uploadUrl: `${server.url}${sent}`, method: 'PUT', headers: {}, expiresIn: 900 });
        res.writeHead(200).end();
      });
      expect(await testClient(server.url).files.upload(new Uint8Array([1, 2, 3]), { filename: 'a.enc', contentType: 'application/octet-stream' })).toEqual({ fileId: 'file_1', size: 3 });
      expect(server.requests.map((r) => r.path)).toEqual(['/files/presign', arrives]);
    });
  }
});
