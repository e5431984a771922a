// What the SDK does with hostile or malformed answers: Retry-After in every shape, success
// bodies that break the contract, bodies too large (plain or gzip bombs), server-echoed values
// in errors, connection errors, and a client with no credential.
import { inspect } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APITimeoutError, BodyTooLargeError, UnauthorizedError, UnexpectedResponseError, ValidationError } from '../../src/index.js';
import { parseRetryAfter } from '../../src/util/retry-after.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, TRANSPORT, apiKeyRecord, testClient } from '../support/client.js';
import type { RetryEvent } from '../../src/public/events.js';

let server: FaultServer;
afterEach(() => server?.close());

describe('Retry-After', () => {
  const now = Date.parse('2026-06-01T09:30:00Z');
  const parse = (value: string, ms?: string, at = now) => parseRetryAfter(new Headers({ 'retry-after': value, ...(ms ? { 'retry-after-ms': ms } : {}) }), at);
  it('numbers are seconds, fractions too; only HTTP-dates are dates; negatives and garbage are absent', () => {
    expect(parse('7')).toBe(7000);
    expect(parse('1.5')).toBe(1500);
    expect(parse(' 2 ')).toBe(2000);
    expect(parse('Mon, 01 Jun 2026 09:30:09 GMT')).toBe(9000);
    expect(parse('Monday, 01-Jun-26 09:30:03 GMT')).toBe(3000);
    expect(parse('Mon Jun  1 09:30:04 2026')).toBe(4000);
    for (const bad of ['-1', '-0.5', '5 apples', 'soon', '2026-06-01T09:30:09Z', '1e3', '0x10', '']) expect(parse(bad)).toBeUndefined();
  });

  it('IMF dates with a one-digit day are dates (RFC 9110 5.6.7 asks recipients to be robust; RFC 5322 days are 1*2DIGIT)', () => {
    expect(parse('Mon, 1 Jun 2026 09:30:09 GMT')).toBe(9000);
    for (const bad of ['Mon, 123 Jun 2026 09:30:09 GMT', 'Mon, 1 Jun 2026 09:30:09 +0200', 'Mon,  Jun 2026 09:30:09 GMT']) expect(parse(bad)).toBeUndefined();
  });

  it('asctime is GMT whatever the machine\'s time zone (Date.parse read it as local time)', () => {
    for (const zone of ['America/New_York', 'Asia/Tokyo']) {
      vi.stubEnv('TZ', zone);
      try {
        expect(parse('Mon Jun  1 09:30:04 2026')).toBe(4000);
        expect(parse('Mon Jun 11 09:30:04 2026', undefined, Date.parse('2026-06-11T09:30:00Z'))).toBe(4000);
      } finally {
        vi.unstubAllEnvs();
      }
    }
  });

  it('retry-after-ms refines Retry-After to the millisecond; when Retry-After asks for a second or more longer, the longer wait', () => {
    expect(parse('1', '250')).toBe(250);
    expect(parse('', '250')).toBe(250);
    expect(parse('garbage', '250')).toBe(250);
    expect(parse('2', '1001')).toBe(1001);
    expect(parse('1', '5000')).toBe(5000);
    // A gateway's zero beside the server's wait: every retry at once would be another 429.
    expect(parse('30', '0')).toBe(30_000);
    expect(parse('7', '250')).toBe(7000);
    expect(parse('Mon, 01 Jun 2026 09:30:09 GMT', '0')).toBe(9000);
    expect(parse('7', '1e3')).toBe(7000);
  });

  it('a retry waits Retry-After, not a zero retry-after-ms beside it', async () => {
    server = await startFaultServer((req, res, i) =>
      i === 0 ? apiError(res, 503, 'INTERNAL', 'busy', {}, { 'Retry-After': '1', 'Retry-After-Ms': '0' }) : json(res, 200, apiKeyRecord),
    );
    const events: RetryEvent[] = [];
    await testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } }).apiKeys.get('key_1');
    expect(events.map((e) => e.delay)).toEqual([1000]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('a fractional Retry-After is waited as such by the retry', async () => {
    server = await startFaultServer((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy', {}, { 'Retry-After': '0.05' }) : json(res, 200, apiKeyRecord)));
    const events: RetryEvent[] = [];
    await testClient(server.url, { hooks: { onRetry: (e) => void events.push(e) } }).apiKeys.get('key_1');
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

describe('the raw client and answers a Response cannot hold', () => {
  it('a 2xx that is not JSON is a typed error, and a status above 599 a 502 Response, not a SyntaxError or RangeError', async () => {
    server = await startFaultServer((req, res, index) => {
      if (index === 0) return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>');
      res.socket?.end('HTTP/1.1 600 Odd\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    });
    const coveton = testClient(server.url, { maxRetries: 0 });
    const html = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } }).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(UnexpectedResponseError);
    expect((html as Error).message).toBe('GET /api-keys/{id} answered 200 with a body that is not JSON, against the API contract.');
    const odd = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
    expect(odd.response.status).toBe(502);
    // `{}` is not the error envelope: the error is the one the SDK builds for such a body.
    expect(odd.error).toEqual({ error: { code: 'INTERNAL', message: expect.stringMatching(/^600 INTERNAL on GET \/api-keys\/\{id\}: HTTP 600( Odd)?; the response JSON was not the API's error envelope$/) } });
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

  it('an endless body over the cap is cancelled: the connection closes, nothing more is read', async () => {
    let closed = 0;
    server = await startFaultServer((req, res) => {
      res.on('close', () => closed++);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const coveton = testClient(server.url, { maxResponseBytes: 256 * 1024 });
    for (let i = 0; i < 3; i++) await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(BodyTooLargeError);
    for (let waited = 0; closed < 3 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(3);
  });
});

describe('content codings', () => {
  it('are case-insensitive: a body sent with Content-Encoding: GZIP is decoded on every transport', async () => {
    server = await startFaultServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'GZIP' });
      res.end(gzipSync(JSON.stringify(apiKeyRecord)));
    });
    await expect(testClient(server.url).apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
  });

  it('stacked codings are undone last first, as fetch does; one unknown leaves a body that is not the JSON; six are refused', async () => {
    const body = Buffer.from(JSON.stringify(apiKeyRecord));
    // Six: Node's fetch refuses the answer (a connection error); the Node transport leaves it undecoded.
    const six = TRANSPORT === 'undici' ? UnexpectedResponseError : APIConnectionError;
    const cases: [string, Buffer, boolean | typeof six][] = [
      ['gzip, gzip', gzipSync(gzipSync(body)), true],
      ['gzip, br', brotliCompressSync(gzipSync(body)), true],
      ['deflate, gzip', gzipSync(deflateSync(body)), true],
      ['gzip, gzip, gzip, gzip, gzip', [1, 2, 3, 4, 5].reduce((b) => gzipSync(b), body), true],
      ['gzip, gzip, gzip, gzip, gzip, gzip', [1, 2, 3, 4, 5, 6].reduce((b) => gzipSync(b), body), six],
      ['gzip, compress', gzipSync(body), false],
    ];
    server = await startFaultServer((req, res, index) => {
      const [coding, bytes] = cases[index]!;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': coding });
      res.end(bytes);
    });
    const coveton = testClient(server.url, { maxRetries: 0 });
    for (const [coding, , decodes] of cases) {
      const got = coveton.apiKeys.get('key_1');
      if (decodes === true) await expect(got, coding).resolves.toMatchObject({ id: apiKeyRecord.id });
      else await expect(got, coding).rejects.toBeInstanceOf(decodes || UnexpectedResponseError);
    }
    expect(server.requests.length).toBe(cases.length);
  });
});

describe('a compressed body that breaks off', () => {
  // Half a gzip body, then the server stalls or resets. The Node transport decompresses itself:
  // the body's error and the attempt timer's abort must reach the decompressor, or the call hangs.
  const half = gzipSync(Buffer.from(JSON.stringify({ ...apiKeyRecord, description: 'y'.repeat(200_000) }))).subarray(0, 1000);
  const hang = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms));

  it('a stall mid-body ends at the attempt timeout with APITimeoutError', async () => {
    server = await startFaultServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.write(half); // and never more
    });
    const coveton = testClient(server.url, { timeout: 200, maxRetries: 0 });
    const error = await Promise.race([coveton.apiKeys.get('key_1'), hang(10_000)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('a reset mid-body is an APIConnectionError, retried like any other', async () => {
    server = await startFaultServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.write(half);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const coveton = testClient(server.url, { timeout: 60_000, maxRetries: 1 });
    const error = await Promise.race([coveton.apiKeys.get('key_1'), hang(10_000)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
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

describe('the reason phrase', () => {
  it('is redacted like the body: a status line echoing the API key leaves no trace of it in the error', async () => {
    server = await startFaultServer((req, res) => {
      res.socket?.end(`HTTP/1.1 400 Bad key ${TEST_KEY}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno`);
    });
    const error = (await testClient(server.url, { maxRetries: 0 }).apiKeys.get('key_1').catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('BadRequestError');
    expect([error.message, JSON.stringify(error), inspect(error)].join('\n')).not.toContain('SECRETsecret');
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

  it('an answer that is not HTTP (a bad status line, an invalid Content-Length) is an APIConnectionError on every transport', async () => {
    const answers = ['HTTP/1.1 199 Odd\r\nContent-Length: 2\r\n\r\n{}', 'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}'];
    server = await startFaultServer((req, res, index) => res.socket?.end(answers[index]!));
    const coveton = testClient(server.url, { maxRetries: 0 });
    for (const _ of answers) await expect(coveton.apiKeys.get('key_1')).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(2);
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
