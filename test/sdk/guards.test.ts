// Bad input is refused before anything is sent, with a CovetonInputError naming it: header
// values that would split a request, per-call limits (held to the client's rules), path
// parameters of the raw client, lone surrogates.
import { afterEach, describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyBody, apiKeyRecord, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

async function refused(promise: PromiseLike<unknown>, field: RegExp) {
  const error = await Promise.resolve(promise).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CovetonInputError);
  expect((error as CovetonInputError).field).toMatch(field);
  return error as CovetonInputError;
}

describe('input guards', () => {
  it('CR, LF or NUL in an idempotency key, a custom header or a token: refused before sending, never retried', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const coveton = testClient(server.url);
    await refused(coveton.apiKeys.create(apiKeyBody, { idempotencyKey: 'k1\r\nX-Evil: 1' }), /idempotency-key/);
    await refused(coveton.apiKeys.get('key_1', { headers: { 'X-Trace': 'a\nb' } }), /x-trace/);
    await refused(testClient(server.url, { headers: { 'X-Team': 'a\0' } }).permissions.list(), /x-team/);
    const tokens = testClient(server.url, { apiKey: undefined, accessToken: 'SECRETTOK\r\nEN', refreshToken: 'rt_1234567890abcdefgh' });
    const error = await refused(tokens.users.getCurrent(), /credential/);
    expect(error.message).not.toContain('SECRETTOK');
    expect(server.requests).toHaveLength(0);
  });

  it('a header name that is no token, or a value with a character above U+00FF: a typed input error, nothing sent', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const coveton = testClient(server.url);
    await refused(coveton.apiKeys.get('key_1', { headers: { 'X Trace': 'a' } }), /header "x trace"/);
    await refused(coveton.apiKeys.get('key_1', { headers: { 'x\r\ny': 'a' } }), /^header "x\\r\\ny"$/);
    await refused(testClient(server.url, { headers: { 'a:b': 'v' } }).permissions.list(), /header "a:b"/);
    const note = await refused(coveton.apiKeys.get('key_1', { headers: { 'X-Note': 'price 5€' } }), /^header x-note$/);
    expect(note.message).toContain('U+00FF');
    await expect(coveton.apiKeys.get('key_1', { headers: { 'X-Note': 'café' } })).resolves.toMatchObject({ id: apiKeyRecord.id });
    expect(server.requests).toHaveLength(1);
  });

  it('per-call maxRetries, timeout and deadline are validated exactly like the client options', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const coveton = testClient(server.url);
    for (const [call, field] of [
      [{ maxRetries: 50 }, /maxRetries/],
      [{ maxRetries: 1.5 }, /maxRetries/],
      [{ timeout: Number.NaN }, /timeout/],
      [{ timeout: -1 }, /timeout/],
      [{ deadline: 0 }, /deadline/],
    ] as const) {
      await refused(coveton.apiKeys.get('key_1', call as never), field);
      expect(() => testClient(server.url, call as never)).toThrow(CovetonInputError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('the raw client guards path parameters like resource methods; a lone surrogate is a CovetonInputError, not a URIError', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const coveton = testClient(server.url);
    await refused(coveton.GET('/api-keys/{id}', { params: { path: { id: '..' } } }), /id/);
    await refused(coveton.GET('/api-keys/{id}', { params: { path: { id: '\uD800' } } }), /id/);
    await refused(Promise.resolve().then(() => coveton.apiKeys.get('a\uDC00b')), /apiKeys\.get\(id\)/);
    expect(server.requests).toHaveLength(0);
    const { data } = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key/1' } } });
    expect(data).toMatchObject({ id: apiKeyRecord.id });
    expect(server.requests[0]!.path).toBe('/api-keys/key%2F1');
  });

  it('the raw client refuses a missing path parameter and a body JSON cannot hold, before sending', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const coveton = testClient(server.url);
    await refused(coveton.DELETE('/api-keys/{id}', {} as never), /path parameter id/);
    await refused(coveton.GET('/api-keys/{id}', { params: { path: {} } } as never), /path parameter id/);
    const cycle: Record<string, unknown> = { ...apiKeyBody };
    cycle.self = cycle;
    await refused(coveton.POST('/api-keys', { body: cycle as never }), /^body$/);
    await refused(coveton.POST('/api-keys', { body: { ...apiKeyBody, n: 1n } as never }), /^body$/);
    expect(server.requests).toHaveLength(0);
  });

  it('the raw client refuses query values, bodies and openapi-fetch options it would send wrong or ignore, before sending', async () => {
    server = await startFaultServer((req, res) => json(res, 200, req.method === 'GET' ? [] : apiKeyRecord));
    const coveton = testClient(server.url);
    const list = (query: unknown) => coveton.GET('/api-keys', { params: { query: query as never } });
    for (const bad of [{ limit: { n: 1 } }, { before: new Date(0) }, { limit: Number.NaN }, { limit: Infinity }, { q: Symbol('q') }, { status: [['active']] }]) {
      const field = Object.keys(bad)[0]!;
      expect((await refused(list(bad), new RegExp(`^query parameter ${field}$`))).message).toContain('must be a string, a number or a boolean');
    }
    for (const body of [new Blob(['x']), new Map([['a', 1]]), new URLSearchParams('a=1'), new Date(0)]) {
      await refused(coveton.POST('/api-keys', { body: body as never }), /^body$/);
    }
    const ignored = { baseUrl: 'https://elsewhere.test', fetch: globalThis.fetch, querySerializer: () => '', bodySerializer: () => '', pathSerializer: () => '', middleware: [] };
    for (const [name, value] of Object.entries(ignored)) await refused(coveton.GET('/api-keys', { [name]: value } as never), new RegExp(`^${name}$`));
    for (const parseAs of ['blob', 'arrayBuffer', 'stream']) await refused(coveton.GET('/api-keys', { parseAs } as never), /^parseAs$/);
    expect(server.requests).toHaveLength(0);
    // What is JSON or bytes still goes: a DataView's bytes as they are, numbers and booleans in the query.
    await coveton.POST('/api-keys', { body: new DataView(new TextEncoder().encode(JSON.stringify(apiKeyBody)).buffer) as never });
    await list({ limit: 2, unread: true, status: ['active', 'revoked'] });
    expect(server.requests.map((r) => (r.method === 'GET' ? r.path : r.body))).toEqual([JSON.stringify(apiKeyBody), '/api-keys?limit=2&unread=true&status=active&status=revoked']);
  });

  it('a resource method refuses a body JSON cannot hold (a cycle, a BigInt) as a CovetonInputError naming it, before sending', async () => {
    server = await startFaultServer((req, res) => json(res, 201, apiKeyRecord));
    const coveton = testClient(server.url);
    const cycle: Record<string, unknown> = { ...apiKeyBody };
    cycle.self = cycle;
    await refused(coveton.apiKeys.create(cycle as never), /apiKeys\.create\(body\)/);
    await refused(coveton.apiKeys.create({ ...apiKeyBody, n: 1n } as never), /apiKeys\.create\(body\)/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('rate-limit figures from a hostile server', () => {
  it('a reset no Date can hold, or past the safe integers, leaves the figures absent instead of an Invalid Date', async () => {
    const { readRateLimit } = await import('../../src/pipeline/rate-limit/headers.js');
    const figures = (reset: string) =>
      readRateLimit(new Headers({ 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }));
    expect(figures('99999999999999999999')).toBeUndefined();
    expect(figures('9007199254740993')).toBeUndefined();
    expect(figures('8640000000001')).toBeUndefined();
    expect(figures('1718900000')?.resetAt).toBe(1718900000 * 1000);
  });
});
