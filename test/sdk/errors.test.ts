import { afterEach, describe, expect, it } from 'vitest';
import { APIError, BadRequestError, ConflictError, CovetonError, ForbiddenError, InternalServerError, NotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from '../../src/index.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, testClient } from '../support/client.js';
import type { Logger } from '../../src/public/logger.js';

let server: FaultServer;
afterEach(() => server?.close());

const cases = [
  [400, 'BAD_REQUEST', BadRequestError],
  [401, 'UNAUTHORIZED', UnauthorizedError],
  [403, 'FORBIDDEN', ForbiddenError],
  [404, 'NOT_FOUND', NotFoundError],
  [409, 'CONFLICT', ConflictError],
  [422, 'VALIDATION', ValidationError],
  [429, 'RATE_LIMITED', RateLimitedError],
  [500, 'INTERNAL', InternalServerError],
] as const;

describe('typed errors', () => {
  for (const [status, code, Class] of cases) {
    it(`${status} ${code} is a ${Class.name} with status, code, message, request id and headers`, async () => {
      server = await startFaultServer((req, res) =>
        apiError(res, status, code, 'what happened', {
          ...(status === 403 ? { reason: 'ip_not_allowed' } : {}),
          ...(status === 401 ? { reason: 'token_expired' } : {}),
          ...(status === 422 ? { details: [{ path: 'name', message: 'must be between 1 and 200 characters' }] } : {}),
        }, status === 429 ? { 'Retry-After': '7' } : {}),
      );
      const coveton = testClient(server.url, { maxRetries: 0 });
      const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
      expect(error).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toBeInstanceOf(CovetonError);
      expect(error.name).toBe(Class.name);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.requestId).toBe(`req_${status}`);
      expect(error.message).toBe(`${status} ${code} on GET /api-keys/{id}: what happened`);
      expect(error.headers.get('x-ratelimit-limit')).toBe('120');
      expect(error.rateLimit?.limit).toBe(120);
      if (error instanceof ForbiddenError) expect(error.reason).toBe('ip_not_allowed');
      if (error instanceof UnauthorizedError) expect(error.reason).toBe('token_expired');
      if (error instanceof ValidationError) expect(error.details).toEqual([{ path: 'name', message: 'must be between 1 and 200 characters' }]);
      if (error instanceof RateLimitedError) expect(error.retryAfterMs).toBe(7000);
    });
  }

  it('an error has the same own properties in the same order (what toJSON and a log of the error show)', () => {
    const init = { status: 422, code: 'VALIDATION', message: 'm', headers: new Headers(), requestId: 'req_1', reason: undefined, details: undefined, rateLimit: undefined, retryAfterMs: 7, body: undefined, endpoint: 'GET /x' } as const;
    const fields = ['name', 'status', 'code', 'requestId', 'headers', 'rateLimit', 'endpoint', 'reason', 'body'];
    expect(Object.keys(new ValidationError(init))).toEqual([...fields, 'details']);
    expect(Object.keys(new RateLimitedError(init))).toEqual([...fields, 'retryAfterMs']);
    expect(Object.keys(new APIError(init))).toEqual(fields);
    expect(Object.keys(new ValidationError(init).toJSON())).toEqual(['name', 'message', 'status', 'code', 'requestId', 'rateLimit', 'endpoint', 'reason', 'details']);
    expect(new ValidationError(init).toJSON()).toMatchObject({ details: [] });
    expect(Object.keys(new RateLimitedError(init).toJSON())).toEqual(['name', 'message', 'status', 'code', 'requestId', 'rateLimit', 'endpoint', 'reason', 'retryAfterMs']);
    expect(new RateLimitedError(init).toJSON()).toMatchObject({ retryAfterMs: 7 });
  });

  it('an HTML page from a proxy is still the right class, with a message that says so', async () => {
    server = await startFaultServer((req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const error = (await testClient(server.url, { maxRetries: 0 }).apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('HTTP 502 Bad Gateway');
    expect(error.message).toContain('an HTML page (text/html)');
  });

  it('an empty body and broken JSON still give the class of the status', async () => {
    server = await startFaultServer((req, res, i) => {
      res.writeHead(i === 0 ? 404 : 400, { 'Content-Type': 'application/json' });
      res.end(i === 0 ? '' : '{"error": {"code": ');
    });
    const coveton = testClient(server.url, { maxRetries: 0 });
    const empty = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
    expect(empty).toBeInstanceOf(NotFoundError);
    expect(empty.message).toContain('empty body');
    const broken = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
    expect(broken).toBeInstanceOf(BadRequestError);
    expect(broken.message).toContain('malformed JSON');
  });

  it('an unknown status is a plain APIError', async () => {
    server = await startFaultServer((req, res) => json(res, 418, { teapot: true }));
    const error = (await testClient(server.url).apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
    expect(error.constructor).toBe(APIError);
    expect(error.status).toBe(418);
  });

  it('an error code named like an Object.prototype member (constructor, toString, __proto__) is no class: the status decides', async () => {
    const codes = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    server = await startFaultServer((req, res, index) => apiError(res, 404, codes[index]!, 'odd code'));
    const coveton = testClient(server.url, { maxRetries: 0 });
    for (const code of codes) {
      const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
      expect(error, code).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
  });

  it('an error code the SDK does not know is not kept: the status names it, so a server echoing a secret or a megabyte there reaches no message', async () => {
    const codes = [`bad key ${TEST_KEY}`, 'x'.repeat(1_000_000), 'NOT_A_CODE'];
    server = await startFaultServer((req, res, index) => apiError(res, 400, codes[index]!, 'nope'));
    const coveton = testClient(server.url, { maxRetries: 0 });
    for (const code of codes) {
      const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as APIError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.body).toEqual({ message: 'nope', requestId: 'req_400' });
      expect(error.message).toBe('400 BAD_REQUEST on GET /api-keys/{id}: nope');
      expect(JSON.stringify(error.toJSON())).not.toContain(code);
    }
    expect(server.requests.length).toBe(3);
  });

  it('never shows a secret: not in the message, toJSON, or a log line, even when the server echoes one', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXNlY3JldA';
    server = await startFaultServer((req, res) =>
      apiError(res, 401, 'UNAUTHORIZED', `key ${TEST_KEY} rejected; token ${jwt}; header Bearer ${TEST_KEY}`),
    );
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m, d) => lines.push(m + JSON.stringify(d)),
      info: (m, d) => lines.push(m + JSON.stringify(d)),
      warn: (m, d) => lines.push(m + JSON.stringify(d)),
      error: (m, d) => lines.push(m + JSON.stringify(d)),
    };
    const coveton = testClient(server.url, { logger, logLevel: 'debug' });
    const error = (await coveton.apiKeys
      .list({ filter: `secret=${TEST_KEY}` })
      .then((p) => p)
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    const everything = [error.message, JSON.stringify(error), JSON.stringify(error.toJSON()), String(error.stack), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(TEST_KEY);
    expect(everything).not.toContain('SECRETsecret');
    expect(everything).not.toContain(jwt);
    expect(everything).not.toContain('filter=');
    expect(error.message).toContain('[REDACTED]');
  });

  it('a connection error from a custom fetch never shows the URL\'s query string (one-time codes, presigned signatures)', async () => {
    const coveton = testClient('https://api.test', {
      maxRetries: 0,
      fetch: async (request) => {
        const error = new Error(`request to ${request.url}&X-Amz-Signature=abc123 failed, reason: socket hang up`) as Error & { code: string };
        error.code = 'ECONNRESET';
        throw error;
      },
    });
    const error = (await coveton.session.completeOAuth('google', { code: 'SECRETCODE123', state: 'st' }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('APIConnectionError');
    expect(error.message + JSON.stringify(error)).not.toMatch(/SECRETCODE123|abc123/);
  });

  it('an error thrown by the caller\'s own fetch code is not taken for a network failure and not retried', async () => {
    let calls = 0;
    const coveton = testClient('https://api.test', {
      fetch: async () => {
        calls++;
        throw new Error('bug in my fetch wrapper');
      },
    });
    const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('CovetonError');
    expect(calls).toBe(1);
  });
});
