// Encrypted file transfer against an in-process API + storage server.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError, APIUserAbortError, CovetonInputError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startFilesServer } from '../support/files-server.js';
import { TEST_KEY, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());
const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** API and storage on one server (test/support/files-server.ts), closed after each test. */
async function filesServer(storageFaults: number[] = []) {
  const files = await startFilesServer(storageFaults);
  server = files.server;
  return files;
}

describe('files.upload and files.download', () => {
  it('presigns with the size, PUTs the bytes intact to storage with no Coveton credential, and returns the file id', async () => {
    const s = await filesServer();
    const bytes = new Uint8Array(randomBytes(300_000));
    const coveton = testClient(server.url, { headers: { 'X-Tenant': 'acme' } });
    const result = await coveton.files.upload(bytes, { filename: 'report.enc', contentType: 'application/octet-stream' });
    expect(result).toEqual({ fileId: 'file_1abc', size: 300_000 });
    const presign = server.requests.find((r) => r.path === '/files/presign')!;
    expect(JSON.parse(presign.body)).toEqual({ filename: 'report.enc', contentType: 'application/octet-stream', size: 300_000 });
    expect(presign.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const put = s.storageRequests[0]!;
    expect(put.method).toBe('PUT');
    expect(sha(put.raw)).toBe(sha(bytes));
    expect(put.headers['content-length']).toBe('300000');
    for (const h of ['authorization', 'x-api-key', 'x-coveton-client', 'x-tenant']) expect(put.headers[h]).toBeUndefined();
    expect(JSON.stringify(put.headers)).not.toContain(TEST_KEY);
  });

  it('accepts an ArrayBuffer, a Blob, a Node readable stream of known size and a web ReadableStream', async () => {
    const s = await filesServer();
    const bytes = new Uint8Array(randomBytes(4096));
    const coveton = testClient(server.url);
    const opts = { filename: 'a.enc', contentType: 'application/octet-stream' };
    await coveton.files.upload(bytes.buffer.slice(0), opts);
    await coveton.files.upload(new Blob([bytes]), opts);
    await coveton.files.upload(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { ...opts, size: 4096 });
    await coveton.files.upload(new Blob([bytes]).stream(), { ...opts, size: 4096 });
    expect(s.storageRequests.map((r) => sha(r.raw))).toEqual(Array(4).fill(sha(bytes)));
  });

  it('retries a failed PUT with the same bytes', async () => {
    const s = await filesServer([503]);
    const bytes = new Uint8Array(randomBytes(2048));
    const { fileId } = await testClient(server.url).files.upload(bytes, { filename: 'a.enc', contentType: 'application/octet-stream' });
    expect(s.storageRequests).toHaveLength(2);
    expect(s.storageRequests.map((r) => sha(r.raw))).toEqual([sha(bytes), sha(bytes)]);
    expect(s.presigns()).toBe(1);
    expect(fileId).toBe('file_1abc');
  });

  it('presigns again, once, when the URL has expired', async () => {
    const s = await filesServer([403]);
    const { fileId } = await testClient(server.url).files.upload(new Uint8Array(10), { filename: 'a.enc', contentType: 'application/octet-stream' });
    expect(s.presigns()).toBe(2);
    expect(s.storageRequests.map((r) => r.path)).toEqual(['/storage/file_1abc?X-Signature=sig1', '/storage/file_2abc?X-Signature=sig2']);
    expect(fileId).toBe('file_2abc');
  });

  it('a size that does not match the stream is a clear error, and nothing is sent', async () => {
    await filesServer();
    const coveton = testClient(server.url);
    const error = await coveton.files
      .upload(Readable.from([new Uint8Array(12)]), { filename: 'a.enc', contentType: 'application/octet-stream', size: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CovetonInputError);
    expect((error as Error).message).toBe('files.upload(size): says 10 bytes but the stream yields more');
    await expect(coveton.files.upload(Readable.from([new Uint8Array(3)]), { filename: 'a', contentType: 'x/y' })).rejects.toThrow('is required with a stream');
    expect(server.requests).toHaveLength(0);
  });

  it('downloads the bytes (or a stream) from the short-lived URL, without credentials', async () => {
    const s = await filesServer();
    const bytes = new Uint8Array(randomBytes(5000));
    const coveton = testClient(server.url);
    const { fileId } = await coveton.files.upload(bytes, { filename: 'a.enc', contentType: 'application/octet-stream' });
    expect(sha(await coveton.files.download(fileId))).toBe(sha(bytes));
    const stream = await coveton.files.download(fileId, { as: 'stream' });
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(sha(Buffer.concat(chunks))).toBe(sha(bytes));
    const gets = s.storageRequests.filter((r) => r.method === 'GET');
    expect(gets).toHaveLength(2);
    for (const g of gets) expect(g.headers.authorization).toBeUndefined();
  });

  it('a download that stalls mid-body times out, and an abort ends a stalled stream', async () => {
    server = await startFaultServer(async (req, res) => {
      if (req.path.startsWith('/files/')) {
        return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Signature=s`, expiresIn: 300, size: 100, contentType: 'application/octet-stream', filename: 'x' });
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '100' });
      res.write(Buffer.alloc(1));
      await new Promise((r) => setTimeout(r, 3_000)); // and never the rest
    });
    const coveton = testClient(server.url, { timeout: 300, maxRetries: 0 });
    const t0 = Date.now();
    await expect(coveton.files.download('file_1')).rejects.toBeInstanceOf(APITimeoutError);
    expect(Date.now() - t0).toBeLessThan(1_500);
    const controller = new AbortController();
    const stream = await testClient(server.url, { maxRetries: 0 }).files.download('file_1', { as: 'stream', signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const reading = (async () => {
      for await (const _ of stream as unknown as AsyncIterable<Uint8Array>) void _;
    })();
    await expect(reading).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
