// A fetch passed in the options that knows only its own `Request` class: npm undici's `fetch`
// reads a Request of another class as the URL "[object Request]". The `fetch` option's TSDoc
// gives the wrapper that hands it the request's parts; this file holds that wrapper to its word
// for a JSON call, a streamed upload and its download, and a redirect the SDK must see rather
// than follow.
import { Readable } from 'node:stream';
import { fetch as undiciFetch, type RequestInit as UndiciInit } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoveton } from '../../src/index.js';
import { apiKeyBody, apiKeyRecord, TEST_KEY } from '../support/client.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startFilesServer } from '../support/files-server.js';

// The wrapper as the option's TSDoc and the runtimes guide write it, type-checked with the project
// (undici declares its own RequestInit and Response types, hence the casts).
const wrapped = (r: Request) =>
  undiciFetch(r.url, { method: r.method, headers: r.headers, body: r.body, duplex: 'half', redirect: r.redirect, signal: r.signal } as UndiciInit) as unknown as Promise<Response>;

let server: FaultServer;
afterEach(() => server?.close());

describe("npm undici's fetch in the options, through the documented wrapper", () => {
  it('sends a JSON call whole: method, credential, idempotency key, body', async () => {
    server = await startFaultServer((req, res) => json(res, req.method === 'POST' ? 201 : 200, apiKeyRecord));
    const coveton = createCoveton({ baseUrl: server.url, apiKey: TEST_KEY, fetch: wrapped, logLevel: 'off' });
    await expect(coveton.apiKeys.create(apiKeyBody)).resolves.toMatchObject({ id: apiKeyRecord.id });
    await expect(coveton.apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
    const [post, get] = server.requests;
    expect(post).toMatchObject({ method: 'POST', path: '/api-keys' });
    expect(JSON.parse(post!.body)).toEqual(apiKeyBody);
    expect(post!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(post!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(get).toMatchObject({ method: 'GET', path: '/api-keys/key_1' });
  });

  it('streams an upload with its length and downloads it again', async () => {
    const files = await startFilesServer();
    server = files.server;
    const bytes = Buffer.alloc(300_000, 7);
    const coveton = createCoveton({ baseUrl: server.url, apiKey: TEST_KEY, fetch: wrapped, logLevel: 'off' });
    const source = { size: bytes.length, stream: () => Readable.toWeb(Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)])) as ReadableStream<Uint8Array> };
    const { fileId } = await coveton.files.upload(source, { filename: 'a.bin', contentType: 'application/octet-stream' });
    const [put] = files.storageRequests;
    expect(put!.headers['content-length']).toBe(String(bytes.length));
    expect(put!.raw.equals(bytes)).toBe(true);
    expect(Buffer.from(await coveton.files.download(fileId)).equals(bytes)).toBe(true);
  });

  it('hands a redirect to the SDK instead of following it', async () => {
    server = await startFaultServer((req, res) => res.writeHead(302, { location: `${server.url}/elsewhere` }).end());
    const coveton = createCoveton({ baseUrl: server.url, apiKey: TEST_KEY, fetch: wrapped, logLevel: 'off', maxRetries: 0 });
    const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('too many redirects');
    // The SDK's own limit: the call and five redirects it followed itself. Had fetch followed
    // them, undici would have gone on to its own limit of twenty.
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys/key_1', ...Array(5).fill('/elsewhere')]);
  });
});
