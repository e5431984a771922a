// One per-call options type (RequestOptions), passed whole by every entry and merged with the
// client's options in one place (src/pipeline/settings.ts): resource methods, the raw client,
// both requests of a file transfer, and the session helpers all honour the same fields.
import { describe, expect, it } from 'vitest';
import { APITimeoutError, CovetonInputError, InternalServerError } from '../../src/index.js';
import { apiError, type FaultServer, json, serverFixture } from '../support/fault-server.js';
import { startFilesServer } from '../support/files-server.js';
import { startAuthServer } from '../support/auth-server.js';
import { apiKeyBody, apiKeyRecord, createCoveton, testClient } from '../support/client.js';

const { serve, track } = serverFixture();
let server: FaultServer | undefined;

const stall = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the raw client takes the per-call options', () => {
  it('maxRetries, timeout, idempotencyKey and headers, like a resource method', async () => {
    server = await serve(async (req, res) => {
      if (req.path.includes('slow')) await stall(300);
      apiError(res, 503, 'INTERNAL', 'busy');
    });
    const coveton = testClient(server.url);
    const init = { body: apiKeyBody, maxRetries: 0, idempotencyKey: 'job-42', headers: { 'X-Trace': 't1' } };
    const { error } = await coveton.POST('/api-keys', init);
    expect(error).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers).toMatchObject({ 'idempotency-key': 'job-42', 'x-trace': 't1' });
    let attempts = 0;
    const hooks = { onRequest: () => void attempts++ };
    const slow = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'slow' } }, timeout: 100, maxRetries: 1, hooks }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(APITimeoutError);
    expect(attempts).toBe(2);
  });

  it('checks them as the client options are checked, before sending', async () => {
    server = await serve((req, res) => json(res, 200, apiKeyRecord));
    await expect(testClient(server.url).GET('/api-keys/{id}', { params: { path: { id: 'k' } }, maxRetries: 99 })).rejects.toThrow(CovetonInputError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('headers: the client\'s, the call\'s, and the SDK\'s own', () => {
  it('the call\'s win over the client\'s; the JSON content type and one Idempotency-Key per call are the SDK\'s', async () => {
    server = await serve((req, res) => json(res, 201, apiKeyRecord));
    const coveton = testClient(server.url, { headers: { 'X-Tenant': 'acme', 'X-Trace': 'client' } });
    await coveton.apiKeys.create(apiKeyBody, { headers: { 'x-trace': 'call', 'Content-Type': 'text/plain' } });
    await coveton.apiKeys.create(apiKeyBody, { headers: { 'Idempotency-Key': 'mine' } });
    const [first, second] = server.requests;
    expect(first!.headers).toMatchObject({ 'x-tenant': 'acme', 'x-trace': 'call', 'content-type': 'application/json' });
    expect(first!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers['idempotency-key']).toBe('mine');
  });

  it('an empty idempotencyKey counts as none: the SDK makes one (the API refuses an empty key)', async () => {
    server = await serve((req, res) => json(res, 201, apiKeyRecord));
    await testClient(server.url).apiKeys.create(apiKeyBody, { idempotencyKey: '' });
    expect(server.requests[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('file transfers pass the options on to each of their requests', () => {
  it('headers and idempotencyKey reach the presign only; maxRetries and hooks reach the storage PUT too', async () => {
    const files = await startFilesServer([503, 503]);
    server = track(files.server);
    const coveton = testClient(server.url);
    const endpoints: string[] = [];
    const upload = coveton.files.upload(new Uint8Array([1, 2]), {
      filename: 'a.enc',
      contentType: 'application/octet-stream',
      headers: { 'X-Trace': 'up' },
      idempotencyKey: 'upload-1',
      maxRetries: 1,
      hooks: { onResponse: (e) => void endpoints.push(`${e.endpoint} ${e.status}`) },
    });
    await expect(upload).rejects.toBeInstanceOf(InternalServerError);
    const presign = server.requests.find((r) => r.path === '/files/presign')!;
    expect(presign.headers).toMatchObject({ 'x-trace': 'up', 'idempotency-key': 'upload-1' });
    expect(files.storageRequests).toHaveLength(2); // maxRetries: 1 held for the PUT
    for (const put of files.storageRequests) {
      expect(put.headers).not.toHaveProperty('x-trace');
      expect(put.headers).not.toHaveProperty('idempotency-key');
    }
    expect(endpoints).toEqual(['POST /files/presign 201', 'PUT (presigned storage URL) 503', 'PUT (presigned storage URL) 503']);
  });
});

describe('the session helpers pass the options on', () => {
  it('logout sends the call\'s headers and honours its maxRetries', async () => {
    const auth = await startAuthServer();
    server = track(auth);
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', ...auth.issue() });
    await coveton.session.logout({ headers: { 'X-Trace': 'bye' }, maxRetries: 0 });
    const logout = auth.requests.find((r) => r.path === '/auth/logout')!;
    expect(logout.headers['x-trace']).toBe('bye');
    expect(await coveton.session.tokens()).toBeUndefined();
  });
});
