// A storage redirect to another origin carries no credential the presign handed out: the Fetch
// standard's Authorization, Cookie and Proxy-Authorization, an STS token, an SSE-C key, x-goog-*
// and Azure's customer key are dropped, as is every other header not known to describe the file
// (Swift's x-auth-token and x-storage-token, Alibaba's, Tencent's and Huawei's STS tokens, an
// x-api-key: a second review found those followed to the other origin); the headers that
// describe the file go along, as does the body. A same-origin hop keeps them all. Found by a hostile-server review: every presign header
// went to whichever https origin the storage server named. Two in-process https servers share a
// self-signed certificate (test/fixtures/tls), trusted for this file only.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

const tls = { key: readFileSync(new URL('../fixtures/tls/localhost.key.pem', import.meta.url)), cert: readFileSync(new URL('../fixtures/tls/localhost.cert.pem', import.meta.url)) };

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function httpsServer(handler: (seen: Seen, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer(tls, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
    seen.push(entry);
    handler(entry, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url: `https://localhost:${(server.address() as AddressInfo).port}`, seen, close };
}

let trust: string | undefined;
beforeAll(() => {
  trust = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the fixture's certificate is self-signed
});
afterAll(() => {
  if (trust === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = trust;
});
const open: { close(): Promise<void> }[] = [];
afterEach(async () => void (await Promise.all(open.splice(0).map((s) => s.close()))));

const PRESIGN_HEADERS = {
  'Content-Type': 'application/octet-stream',
  Authorization: 'Bearer storage-scoped-token-XYZ',
  Cookie: 'bucket-session=abc',
  'Proxy-Authorization': 'Basic cHJveHk6cHc=',
  'X-Amz-Security-Token': 'IQoJb3JpZ2luX2VjEXAMPLE',
  'X-Amz-Server-Side-Encryption-Customer-Algorithm': 'AES256',
  'X-Amz-Server-Side-Encryption-Customer-Key': 'c3NlLWMta2V5LXNlY3JldA==',
  'X-Amz-Server-Side-Encryption-Customer-Key-MD5': 'bWQ1LW9mLWtleQ==',
  'X-Goog-Encryption-Key': 'Z29vZy1rZXk=',
  'X-Ms-Encryption-Key': 'YXp1cmUta2V5',
  // Other storages' credentials: no fixed list of names can know them all (an allowlist decides).
  'X-Auth-Token': 'swift-auth-token-AAA',
  'X-Storage-Token': 'swift-storage-token-BBB',
  'X-Oss-Security-Token': 'alibaba-sts-token-CCC',
  'X-Cos-Security-Token': 'tencent-sts-token-DDD',
  'X-Obs-Security-Token': 'huawei-sts-token-EEE',
  'X-Api-Key': 'storage-api-key-FFF',
  'X-Amz-Server-Side-Encryption': 'aws:kms',
  'X-Amz-Meta-Origin': 'app',
  'Content-Disposition': 'attachment; filename="a.enc"',
  'Cache-Control': 'no-store',
  'X-Amz-Storage-Class': 'STANDARD_IA',
};
const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
/** What the runtime adds to any request (fetch's defaults, undici's accept-encoding): not the SDK's to choose. */
const RUNTIME = new Set(['host', 'connection', 'content-length', 'accept', 'accept-language', 'accept-encoding', 'sec-fetch-mode', 'user-agent']);
const given = (headers: Seen['headers']) => Object.fromEntries(Object.entries(headers).filter(([name]) => !RUNTIME.has(name)));

describe('storage redirects and the presign headers', () => {
  it('a same-origin hop keeps every presign header; a hop to another origin drops the credentials and keeps the rest and the body', async () => {
    const other = await httpsServer((_, res) => res.writeHead(200).end());
    open.push(other);
    const otherOrigin = other.url.replace('localhost', '127.0.0.1'); // another host name: another origin
    const storage = await httpsServer((seen, res) => {
      if (seen.path.startsWith('/bucket/obj')) return void res.writeHead(307, { Location: '/bucket/moved?X-Amz-Signature=abc' }).end();
      res.writeHead(307, { Location: `${otherOrigin}/elsewhere` }).end();
    });
    open.push(storage);
    const api: FaultServer = await startFaultServer((req, res) =>
      json(res, 201, { fileId: 'file_1', uploadUrl: `${storage.url}/bucket/obj?X-Amz-Signature=abc`, method: 'PUT', headers: PRESIGN_HEADERS, expiresIn: 300 }),
    );
    open.push(api);
    const body = new Uint8Array([1, 2, 3, 4]);
    const result = await testClient(api.url).files.upload(body, { filename: 'a.enc', contentType: 'application/octet-stream' });
    expect(result).toEqual({ fileId: 'file_1', size: 4 });

    expect(storage.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['PUT /bucket/obj?X-Amz-Signature=abc', 'PUT /bucket/moved?X-Amz-Signature=abc']);
    for (const hop of storage.seen) expect(given(hop.headers)).toEqual(lower(PRESIGN_HEADERS));
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]!.method).toBe('PUT');
    expect(other.seen[0]!.path).toBe('/elsewhere');
    expect([...other.seen[0]!.body]).toEqual([1, 2, 3, 4]);
    expect(given(other.seen[0]!.headers)).toEqual({
      'content-type': 'application/octet-stream',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-meta-origin': 'app',
      'content-disposition': 'attachment; filename="a.enc"',
      'cache-control': 'no-store',
      'x-amz-storage-class': 'STANDARD_IA',
    });
    expect(JSON.stringify(other.seen[0]!.headers)).not.toMatch(/storage-scoped-token|c3NlLWMta2V5|IQoJb3JpZ2lu|Z29vZy1rZXk|YXp1cmUta2V5|bWQ1LW9mLWtleQ|cHJveHk6cHc|bucket-session|swift-|sts-token|storage-api-key/);
  });
});
