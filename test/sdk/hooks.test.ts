// Hooks (`onRequest`, `onResponse`, `onRetry`) on the client and on a call: told about every
// request the SDK sends (resource methods, the raw client, the presign and the storage PUT and
// GET of file transfers, the token refresh), never shown a secret, and never able to change a
// call's outcome by throwing.
import { describe, expect, it } from 'vitest';
import { APIConnectionError, CovetonInputError, InternalServerError } from '../../src/index.js';
import { apiError, drop, type FaultServer, json, serverFixture } from '../support/fault-server.js';
import { startFilesServer } from '../support/files-server.js';
import { startAuthServer } from '../support/auth-server.js';
import { apiKeyRecord, createCoveton, TEST_KEY, testClient } from '../support/client.js';
import type { Hooks, RequestEvent, ResponseEvent, RetryEvent } from '../../src/public/events.js';
import type { Logger } from '../../src/public/logger.js';

const { serve, track } = serverFixture();
let server: FaultServer | undefined;

/** Hooks that record every event, as `kind endpoint attempt status`. */
function recorder() {
  const requests: RequestEvent[] = [];
  const responses: ResponseEvent[] = [];
  const retries: RetryEvent[] = [];
  const lines: string[] = [];
  const hooks: Hooks = {
    onRequest: (e) => void (requests.push(e), lines.push(`request ${e.endpoint} #${e.attempt}`)),
    onResponse: (e) => void (responses.push(e), lines.push(`response ${e.endpoint} #${e.attempt} ${e.status ?? e.error?.name}`)),
    onRetry: (e) => void (retries.push(e), lines.push(`retry ${e.endpoint} #${e.attempt} in ${e.delay}`)),
  };
  return { hooks, requests, responses, retries, lines };
}

describe('hooks see every request the SDK sends', () => {
  it('a resource method retried after a 503: one request and one response per attempt, a retry between, with timings', async () => {
    server = await serve((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy', {}, { 'X-Request-Id': 'req_503' }) : json(res, 200, apiKeyRecord)));
    const r = recorder();
    await testClient(server.url, { hooks: r.hooks }).apiKeys.get('key_1');
    expect(r.lines).toEqual([
      'request GET /api-keys/{id} #1',
      'response GET /api-keys/{id} #1 503',
      'retry GET /api-keys/{id} #2 in 5',
      'request GET /api-keys/{id} #2',
      'response GET /api-keys/{id} #2 200',
    ]);
    expect(r.responses[0]!.request).toBe(r.requests[0]); // the key a tracer keeps its span under
    expect(r.requests[0]).toMatchObject({ method: 'GET', url: `${server.url}/api-keys/key_1`, elapsed: expect.any(Number) });
    const [first, second] = r.responses;
    expect(first!.duration).toBeGreaterThanOrEqual(0);
    expect(first!.elapsed).toBe(r.requests[0]!.elapsed + first!.duration);
    expect(second!.elapsed).toBeGreaterThanOrEqual(first!.elapsed + 5); // the backoff lies between
    expect(first!.requestId).toBe('req_503');
    expect(r.retries[0]!.cause).toBeInstanceOf(InternalServerError);
  });

  it('the raw client, with call-level hooks that run after the client\'s own', async () => {
    server = await serve((req, res) => json(res, 200, apiKeyRecord));
    const order: string[] = [];
    const coveton = testClient(server.url, { hooks: { onRequest: () => void order.push('client') } });
    await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } }, hooks: { onRequest: () => void order.push('call') } });
    await coveton.apiKeys.get('key_1', { hooks: { onRequest: () => void order.push('call') } });
    await coveton.apiKeys.get('key_1');
    expect(order).toEqual(['client', 'call', 'client', 'call', 'client']);
  });

  it('file transfers: the presign, the storage PUT and the storage GET, with the presigned query string never shown', async () => {
    const files = await startFilesServer();
    server = track(files.server);
    const r = recorder();
    const coveton = testClient(server.url, { hooks: r.hooks });
    const { fileId } = await coveton.files.upload(new Uint8Array([1, 2, 3]), { filename: 'a.enc', contentType: 'application/octet-stream' });
    await coveton.files.download(fileId);
    expect(r.lines).toEqual([
      'request POST /files/presign #1',
      'response POST /files/presign #1 201',
      'request PUT (presigned storage URL) #1',
      'response PUT (presigned storage URL) #1 200',
      'request GET /files/{id}/download #1',
      'response GET /files/{id}/download #1 200',
      'request GET (presigned storage URL) #1',
      'response GET (presigned storage URL) #1 200',
    ]);
    const storage = r.requests.filter((e) => e.endpoint.includes('storage'));
    expect(storage.map((e) => e.url)).toEqual([`${server.url}/storage/file_1abc`, `${server.url}/storage/file_1abc`]);
    expect(JSON.stringify([...r.requests, ...r.responses])).not.toContain('X-Signature');
  });

  it('the token refresh, and a call whose credential step fails still ends its span', async () => {
    const auth = await startAuthServer();
    server = track(auth);
    const r = recorder();
    const coveton = createCoveton({ baseUrl: auth.url, logLevel: 'off', ...auth.issue({ expired: true }), hooks: r.hooks });
    await coveton.users.getCurrent();
    expect(r.lines).toEqual([
      'request GET /users/me #1',
      'request POST /auth/refresh #1',
      'response POST /auth/refresh #1 200',
      'response GET /users/me #1 200',
    ]);
    auth.failRefresh.push(401);
    const expired = createCoveton({ baseUrl: auth.url, logLevel: 'off', ...auth.issue({ expired: true }), hooks: r.hooks });
    r.lines.length = 0;
    await expect(expired.users.getCurrent()).rejects.toMatchObject({ name: 'SessionExpiredError' });
    expect(r.lines).toEqual(['request GET /users/me #1', 'request POST /auth/refresh #1', 'response POST /auth/refresh #1 401', 'response GET /users/me #1 SessionExpiredError']);
  });

  it('an attempt that gets no response is told as such: status undefined, the connection error', async () => {
    server = await serve((req, res, i) => (i === 0 ? drop(res) : json(res, 200, apiKeyRecord)));
    const r = recorder();
    await testClient(server.url, { hooks: r.hooks }).apiKeys.get('key_1');
    expect(r.responses[0]).toMatchObject({ status: undefined, attempt: 1 });
    expect(r.responses[0]!.error).toBeInstanceOf(APIConnectionError);
    expect(r.responses[1]).toMatchObject({ status: 200, error: undefined, attempt: 2 });
  });
});

describe('hooks never see a secret', () => {
  it('credential headers and known secrets are redacted, the query string is not shown, and the credential is added after onRequest', async () => {
    server = await serve((req, res) => json(res, 200, apiKeyRecord));
    const r = recorder();
    const coveton = testClient(server.url, { hooks: r.hooks, headers: { 'X-Echo': `key=${TEST_KEY}` } });
    await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' }, query: { token: 'secret-query' } as never } });
    await coveton.apiKeys.get('key_1', { headers: { Authorization: 'Bearer caller-own-token', Cookie: 'session=abc' } });
    const shown = JSON.stringify([...r.requests, ...r.responses]);
    for (const secret of [TEST_KEY, 'caller-own-token', 'session=abc', 'secret-query']) expect(shown).not.toContain(secret);
    expect(r.requests[0]!.headers).not.toHaveProperty('authorization'); // the key is added after the hook
    expect(r.requests[1]!.headers).toMatchObject({ authorization: '[REDACTED]', cookie: '[REDACTED]' });
    expect(r.requests[0]!.headers['x-echo']).toBe('key=[REDACTED]');
  });
});

describe('hooks cannot break a call', () => {
  it('a hook that throws, or whose promise rejects, is logged by name and the call goes on', async () => {
    server = await serve((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy') : json(res, 200, apiKeyRecord)));
    const warnings: unknown[][] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (...args) => void warnings.push(args), error: () => {} };
    const boom = () => {
      throw new TypeError(`leaks ${TEST_KEY}`);
    };
    const coveton = testClient(server.url, { logger, logLevel: 'warn', hooks: { onRequest: boom, onResponse: async () => Promise.reject(new RangeError('later')), onRetry: boom } });
    await expect(coveton.apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
    await new Promise((r) => setTimeout(r, 0));
    expect(server.requests).toHaveLength(2);
    // A rejection is logged when it comes, so the order is the hooks' own, not the attempts'.
    const logged = warnings.map(([, data]) => `${(data as { hook: string }).hook} ${(data as { error: string }).error}`).sort();
    expect(logged).toEqual(['onRequest TypeError', 'onRequest TypeError', 'onResponse RangeError', 'onResponse RangeError', 'onRetry TypeError']);
    expect(JSON.stringify(warnings)).not.toContain(TEST_KEY);
  });

  it('setHeader adds a header to the attempt (a trace context); bad hooks are refused before anything is sent', async () => {
    server = await serve((req, res) => json(res, 200, apiKeyRecord));
    let n = 0;
    const coveton = testClient(server.url, { hooks: { onRequest: (e) => e.setHeader('TraceParent', `00-${++n}`) } });
    await coveton.apiKeys.get('key_1');
    expect(server.requests[0]!.headers.traceparent).toBe('00-1');
    expect(() => testClient(server!.url, { hooks: { onRequest: 'yes' as never } })).toThrow(CovetonInputError);
    await expect(coveton.apiKeys.get('key_1', { hooks: { onRetry: 1 as never } })).rejects.toThrow('options.hooks');
    expect(server.requests).toHaveLength(1);
  });
});
