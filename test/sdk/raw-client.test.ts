// The raw client (`coveton.GET(...)`) keeps the resource methods' rules: the operation's body
// rule, refused before anything is sent, and the redacted error envelope the SDK's typed error
// holds. Runs on both transports (fetch and undici).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { APIError, CovetonInputError } from '../../src/index.js';
import { apiError, json, serverFixture } from '../support/fault-server.js';
import { apiKeyBody, TEST_KEY, testClient } from '../support/client.js';

const { serve } = serverFixture();

/** What a call ended with: a refusal's class, field and message, or the status it got. */
const outcome = (call: Promise<{ response: Response }>) =>
  call.then(
    (r) => `status ${r.response.status}`,
    (e: CovetonInputError) => `${e.name} ${e.field}: ${e.message}`,
  );

describe('the operation\'s body rule, as the resource methods keep it', () => {
  it('a body for an operation without one, or none for one that requires it: refused, nothing sent, nothing retried', async () => {
    const server = await serve((req, res) => json(res, 200, []));
    const retries: number[] = [];
    const coveton = testClient(server.url, { hooks: { onRetry: (e) => void retries.push(e.attempt) } });
    const raw = coveton as unknown as Record<'GET' | 'POST' | 'DELETE', (path: string, init?: unknown) => Promise<{ response: Response }>>;
    // fetch refuses a GET with a body (a TypeError, which was taken for a network failure and
    // retried twice); undici sent it.
    expect(await outcome(raw.GET('/api-keys', { body: { a: 1 } }))).toBe('CovetonInputError body: body: is not taken by GET /api-keys');
    expect(await outcome(raw.DELETE('/api-keys/{id}', { params: { path: { id: 'k' } }, body: '' }))).toBe('CovetonInputError body: body: is not taken by DELETE /api-keys/{id}');
    expect(await outcome(raw.POST('/api-keys', {}))).toBe('CovetonInputError POST /api-keys(body): POST /api-keys(body): is required');
    expect(await outcome(raw.POST('/api-keys', { body: null }))).toBe('CovetonInputError POST /api-keys(body): POST /api-keys(body): is required');
    // A required query, and a query that is no object, as the resource methods refuse them.
    expect(await outcome(raw.GET('/users/search', {}))).toBe('CovetonInputError GET /users/search(query): GET /users/search(query): is required');
    expect(await outcome(raw.GET('/api-keys', { params: { query: 'limit=2' } }))).toBe('CovetonInputError GET /api-keys(query): GET /api-keys(query): must be an object of query parameters');
    // The same rule as the resource method's (called in a `then`: whether it throws or rejects is not this test's subject).
    await expect(Promise.resolve().then(() => coveton.apiKeys.create(undefined as never))).rejects.toThrow('apiKeys.create(body): is required');
    expect(server.requests).toHaveLength(0);
    expect(retries).toEqual([]);
    // What the operation takes still goes.
    expect(await outcome(raw.GET('/api-keys', { body: undefined }))).toBe('status 200');
    expect(await outcome(raw.POST('/api-keys', { body: apiKeyBody }))).toBe('status 200');
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual(['GET /api-keys ', `POST /api-keys ${JSON.stringify(apiKeyBody)}`]);
  });
});

const SIGNING_SECRET = 'sig-secret-0123456789abcdef';

describe('an HTTP error as `{ error }`', () => {
  it('is the envelope the resource method\'s error holds, redacted there: an echoed key or declared secret never comes back', async () => {
    const server = await serve((req, res) => {
      const echoed = String(req.headers.authorization ?? req.headers['x-client-secret']);
      if (req.path === '/api-keys/html') return res.writeHead(502, { 'Content-Type': 'text/html' }).end(`<html>proxy saw ${echoed}</html>`);
      if (req.path === '/api-keys/odd') return json(res, 400, { error: { code: `ODD ${echoed}`, message: 'odd' } });
      apiError(res, req.headers.authorization ? 401 : 400, req.headers.authorization ? 'UNAUTHORIZED' : 'BAD_REQUEST', `bad credential ${echoed}`, { details: [{ path: echoed, message: 'x' }] }, { 'x-echo': echoed });
    });
    const byKey = testClient(server.url, { maxRetries: 0 });
    const custom = testClient(server.url, { maxRetries: 0, apiKey: undefined, auth: { authenticate: (r) => void (r.headers['x-client-secret'] = SIGNING_SECRET), secrets: () => [SIGNING_SECRET] } });
    for (const [coveton, id] of [[byKey, 'k'], [custom, 'k'], [byKey, 'html'], [byKey, 'odd']] as const) {
      const { data, error, response } = await coveton.GET('/api-keys/{id}', { params: { path: { id } } });
      const thrown = (await coveton.apiKeys.get(id).catch((e: unknown) => e)) as APIError;
      expect(thrown).toBeInstanceOf(APIError);
      expect(data).toBeUndefined();
      const seen = JSON.stringify(error) + inspect(error, { depth: 9 });
      expect(seen).not.toContain(TEST_KEY);
      expect(seen).not.toContain(SIGNING_SECRET);
      // The same envelope, whatever the body was; the Response keeps the server's text and
      // headers, with the known secrets hidden (the key, the declared secret), as the error's headers.
      expect(error).toEqual({ error: { ...(thrown.body ?? { message: thrown.message }), code: thrown.code } });
      const text = await response.text();
      expect(text).toMatch(id === 'k' ? /bad credential (Bearer )?\[REDACTED\]/ : /\[REDACTED\]/);
      expect(text + JSON.stringify([...response.headers])).not.toMatch(/ak_test_|sig-secret/);
      if (id === 'k') expect(response.headers.get('x-echo')).toMatch(/^(Bearer )?\[REDACTED\]$/);
    }
    const keyed = await byKey.GET('/api-keys/{id}', { params: { path: { id: 'k' } } });
    expect(keyed.error).toEqual({ error: { code: 'UNAUTHORIZED', message: 'bad credential Bearer [REDACTED]', requestId: 'req_401', details: [{ path: 'Bearer [REDACTED]', message: 'x' }] } });
    const signed = await custom.GET('/api-keys/{id}', { params: { path: { id: 'k' } } });
    expect(signed.error).toEqual({ error: { code: 'BAD_REQUEST', message: 'bad credential [REDACTED]', requestId: 'req_400', details: [{ path: '[REDACTED]', message: 'x' }] } });
    const html = await byKey.GET('/api-keys/{id}', { params: { path: { id: 'html' } } });
    expect(html.error).toEqual({ error: { code: 'INTERNAL', message: '502 INTERNAL on GET /api-keys/{id}: HTTP 502 Bad Gateway; the response was an HTML page (text/html), 66 characters, not the API\'s error envelope' } });
    // A code the SDK does not know is never kept (the server may put anything there): the status's.
    const odd = await byKey.GET('/api-keys/{id}', { params: { path: { id: 'odd' } } });
    expect(odd.error).toEqual({ error: { code: 'BAD_REQUEST', message: 'odd' } });
  });
});

describe('an HTTP error without a body', () => {
  it('an empty or `null` body still gives a truthy, typed `error`, so `if (error)` never takes a 404 or a 500 for success', async () => {
    const server = await serve((req, res) => {
      if (req.path.endsWith('/null')) return json(res, 404, null);
      res.writeHead(req.path.endsWith('/gone') ? 404 : 500).end();
    });
    const coveton = testClient(server.url, { maxRetries: 1 });
    const answers: unknown[] = [];
    for (const id of ['gone', 'null', 'busy']) {
      const { data, error, response } = await coveton.GET('/api-keys/{id}', { params: { path: { id } } });
      expect(data).toBeUndefined();
      expect(error).toBeTruthy();
      answers.push({ status: response.status, error });
    }
    expect(answers).toEqual([
      { status: 404, error: { error: { code: 'NOT_FOUND', message: '404 NOT_FOUND on GET /api-keys/{id}: HTTP 404 Not Found; the response had an empty body' } } },
      { status: 404, error: { error: { code: 'NOT_FOUND', message: '404 NOT_FOUND on GET /api-keys/{id}: HTTP 404 Not Found; the response had an empty body' } } },
      { status: 500, error: { error: { code: 'INTERNAL', message: '500 INTERNAL on GET /api-keys/{id}: HTTP 500 Internal Server Error; the response had an empty body' } } },
    ]);
    // The 500 was retried as a resource method's would be; its error is the last answer's.
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys/gone', '/api-keys/null', '/api-keys/busy', '/api-keys/busy']);
  });
});

describe('init options the client does not honour', () => {
  it('fetch\'s RequestInit options, which openapi-fetch\'s types accept, and unknown keys: refused by name, nothing sent', async () => {
    const server = await serve((req, res) => json(res, 200, []));
    const coveton = testClient(server.url);
    const refusals: string[] = [];
    // Each of these type-checks (openapi-fetch's init extends RequestInit) and was dropped in silence.
    const inits = [{ credentials: 'include' }, { keepalive: true }, { redirect: 'follow' }, { cache: 'no-store' }, { mode: 'cors' }, { priority: 'high' }, { integrity: 'sha256-x' }] as const;
    for (const init of inits) refusals.push(await outcome(coveton.GET('/api-keys', init)));
    refusals.push(await outcome(coveton.GET('/api-keys', { bogus: 1 } as never)));
    refusals.push(await outcome(coveton.GET('/api-keys', { baseUrl: 'https://elsewhere.test' })));
    const takes = 'is not honoured by this client, which takes params, headers, body, parseAs and the per-call options (signal, timeout, deadline, maxRetries, idempotencyKey, hooks)';
    expect(refusals).toEqual([
      ...['credentials', 'keepalive', 'redirect', 'cache', 'mode', 'priority', 'integrity', 'bogus'].map((name) => `CovetonInputError ${name}: ${name}: ${takes}`),
      "CovetonInputError baseUrl: baseUrl: is openapi-fetch's, and not honoured by this client",
    ]);
    expect(server.requests).toHaveLength(0);
    // Left undefined, a key says nothing, and what the client takes still goes.
    expect(await outcome(coveton.GET('/api-keys', { credentials: undefined, params: { query: { limit: 2 } }, timeout: 5000, parseAs: 'json' }))).toBe('status 200');
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys?limit=2']);
  });
});
