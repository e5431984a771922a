// What the SDK does with hostile or malformed answers: Retry-After in every shape, success
// bodies that break the contract, bodies too large (plain or gzip bombs), server-echoed values
// in errors, connection errors, and a client with no credential.
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  BodyTooLargeError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
  type RetryEvent,
} from '../../src/index.js';
import { parseRetryAfter } from '../../src/rate-limit-headers.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, apiKeyRecord, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

describe('Retry-After', () => {
  const now = Date.parse('2026-06-01T09:30:00Z');
  const parse = (value: string, ms?: string) => parseRetryAfter(new Headers({ 'retry-after': value, ...(ms ? { 'retry-after-ms': ms } : {}) }), now);
  it('numbers are seconds, fractions too; only HTTP-dates are dates; negatives and garbage are absent', () => {
    expect(parse('7')).toBe(7000);
    expect(parse('1.5')).toBe(1500);
    expect(parse(' 2 ')).toBe(2000);
    expect(parse('Mon, 01 Jun 2026 09:30:09 GMT')).toBe(9000);
    expect(parse('Monday, 01-Jun-26 09:30:03 GMT')).toBe(3000);
    expect(parse('Mon Jun  1 09:30:04 2026')).toBe(4000);
    for (const bad of ['-1', '-0.5', '5 apples', 'soon', '2026-06-01T09:30:09Z', '1e3', '0x10', '']) expect(parse(bad)).toBeUndefined();
    expect(parse('7', '250')).toBe(250);
  });

  it('a fractional Retry-After is waited as such by the retry', async () => {
    server = await startFaultServer((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy', {}, { 'Retry-After': '0.05' }) : json(res, 200, apiKeyRecord)));
    const events: RetryEvent[] = [];
    await testClient(server.url, { onRetry: (e) => events.push(e) }).apiKeys.get('key_1');
    expect(events.map((e) => e.delay)).toEqual([50]);
  });
});

describe('success bodies that break the contract', () => {
  it('an empty 200 where a body is promised, or an object where a list is: a typed error naming the operation', async () => {
    server = await startFaultServer((req, res) => {
      if (req.path.startsWith('/api-keys/')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end();
      }
      return json(res, 200, { data: [] });
    });
    const coveton = testClient(server.url);
    const empty = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(UnexpectedResponseError);
    expect((empty as Error).message).toContain('apiKeys.get (GET /api-keys/{id})');
    const list = await Promise.resolve(coveton.apiKeys.list()).catch((e: unknown) => e);
    expect(list).toBeInstanceOf(UnexpectedResponseError);
    expect((list as Error).message).toContain('where a list belongs');
  });
});

describe('maxResponseBytes', () => {
  it('a body over the cap is a BodyTooLargeError, never retried; a gzip bomb is caught by the same cap', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // 50 MB of spaces in ~50 KB
    server = await startFaultServer((req, res) => {
      if (req.path === '/permissions') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify(['x'.repeat(2 * 1024 * 1024)]));
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    const coveton = testClient(server.url, { maxResponseBytes: 1024 * 1024 });
    await expect(Promise.resolve(coveton.permissions.list())).rejects.toBeInstanceOf(BodyTooLargeError);
    const started = Date.now();
    await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(2);
  });
});

describe('server-echoed values in errors', () => {
  it('requestId, reason, details[].path and X-Request-Id are redacted in message, toJSON, body and util.inspect', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXNlY3JldA';
    server = await startFaultServer((req, res, i) =>
      i === 0
        ? apiError(res, 422, 'VALIDATION', 'bad', { requestId: `req_${TEST_KEY}`, reason: `r ${jwt}`, details: [{ path: `name.${TEST_KEY}`, message: 'no' }] })
        : json(res, 401, { nope: true }, { 'X-Request-Id': `id-${TEST_KEY}` }),
    );
    const coveton = testClient(server.url, { maxRetries: 0 });
    const validation = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as ValidationError;
    const unauthorized = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as UnauthorizedError;
    expect(validation).toBeInstanceOf(ValidationError);
    expect(validation.body?.code).toBe('VALIDATION');
    expect(unauthorized.requestId).toBe('id-[REDACTED]');
    for (const error of [validation, unauthorized]) {
      const everything = [error.message, JSON.stringify(error), JSON.stringify(error.body ?? null), inspect(error), inspect({ wrapped: new Error('outer', { cause: error }) })].join('\n');
      expect(everything).not.toContain('SECRETsecret');
      expect(everything).not.toContain(jwt);
    }
  });
});

describe('connection errors', () => {
  it('name host and port and carry the socket code, never the path, query or credentials', async () => {
    const coveton = testClient('http://user.invalid:8443/v1', { maxRetries: 0 });
    const error = (await coveton.apiKeys.get('key_1', { headers: { 'X-Q': 'x' } }).catch((e: unknown) => e)) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toMatch(/^Connection to user\.invalid:8443 failed \((ENOTFOUND|EAI_AGAIN)\)\.$/);
    expect(error.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(inspect(error)).not.toContain('/api-keys');
  });
});

describe('a client with no credential', () => {
  it('logs one warning at its first authenticated call, none for public ones', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const coveton = testClient(server.url, { apiKey: undefined, logger, logLevel: 'warn' });
    await coveton.auth.requestPasswordReset({ email: 'a@example.com' }).catch(() => undefined);
    expect(warnings).toHaveLength(0);
    await coveton.apiKeys.get('key_1');
    await coveton.apiKeys.get('key_1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('no credential');
  });
});
