import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton, CovetonInputError, VERSION } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY } from '../support/client.js';

let server: FaultServer;
afterEach(() => {
  vi.unstubAllEnvs();
  return server?.close();
});

describe('client options', () => {
  it('sends the key as a bearer token by default, or as X-API-Key when asked; with User-Agent and extra headers', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { msg: 'Auth successful' }));
    await createCoveton({ baseUrl: server.url, apiKey: TEST_KEY, userAgent: 'acme/1.0', headers: { 'X-Trace': 't1' } }).utils.testAuth();
    await createCoveton({ baseUrl: server.url, apiKey: TEST_KEY, apiKeyHeader: 'x-api-key' }).utils.testAuth();
    const [a, b] = server.requests;
    expect(a!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(a!.headers['x-api-key']).toBeUndefined();
    expect(a!.headers['user-agent']).toBe(`acme/1.0 coveton-sdk-ts/${VERSION}`);
    expect(a!.headers['x-trace']).toBe('t1');
    expect(b!.headers['x-api-key']).toBe(TEST_KEY);
    expect(b!.headers.authorization).toBeUndefined();
  });

  it('reads COVETON_API_KEY and COVETON_BASE_URL in Node', async () => {
    server = await startFaultServer((req, res) => json(res, 200, { msg: 'Auth successful' }));
    vi.stubEnv('COVETON_API_KEY', 'ak_test_fromenv123');
    vi.stubEnv('COVETON_BASE_URL', server.url);
    await expect(createCoveton().utils.testAuth()).resolves.toEqual({ msg: 'Auth successful' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer ak_test_fromenv123');
  });

  it('picks the environment\'s host when no base URL is given', async () => {
    const urls: string[] = [];
    const fetch = async (r: Request) => {
      urls.push(r.url);
      return new Response('{"msg":"Auth successful"}', { headers: { 'Content-Type': 'application/json' } });
    };
    await createCoveton({ environment: 'sandbox', fetch }).utils.testAuth();
    await createCoveton({ fetch }).utils.testAuth();
    expect(urls).toEqual(['https://sandbox.api.coveton.com/v1/utils/authtest', 'https://api.coveton.com/v1/utils/authtest']);
  });

  it('rejects bad options with a CovetonInputError naming the option, never echoing the key', () => {
    const bad: [object, string][] = [
      [{ maxRetries: -1 }, 'maxRetries'],
      [{ maxRetries: 1.5 }, 'maxRetries'],
      [{ timeout: 0 }, 'timeout'],
      [{ deadline: Number.NaN }, 'deadline'],
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ environment: 'staging' }, 'environment'],
      [{ apiKeyHeader: 'cookie' }, 'apiKeyHeader'],
      [{ apiKey: ` ${TEST_KEY} ` }, 'apiKey'],
      [{ logLevel: 'loud' }, 'logLevel'],
      // Names of Object.prototype passed an `in` check and silenced every line.
      [{ logLevel: 'toString' }, 'logLevel'],
      [{ logLevel: '__proto__' }, 'logLevel'],
      // A NaN, negative or out-of-range backoff turned the wait between retries off.
      [{ backoff: { initialDelay: Number.NaN } }, 'backoff.initialDelay'],
      [{ backoff: { initialDelay: -1000 } }, 'backoff.initialDelay'],
      [{ backoff: { initialDelay: 'soon' } }, 'backoff.initialDelay'],
      [{ backoff: { maxDelay: Infinity } }, 'backoff.maxDelay'],
      [{ backoff: { jitter: 5 } }, 'backoff.jitter'],
      [{ backoff: { jitter: -0.1 } }, 'backoff.jitter'],
      // Tokens beside a store were never used: the store is the session's one source.
      [{ accessToken: 'at', refreshToken: 'rt', tokenStore: { get: () => undefined, set: () => {} } }, 'tokenStore'],
    ];
    for (const [options, field] of bad) {
      const error = (() => {
        try {
          createCoveton(options as never);
        } catch (e) {
          return e as CovetonInputError;
        }
      })();
      expect(error, field).toBeInstanceOf(CovetonInputError);
      expect(error!.field).toBe(field);
      expect(error!.message).not.toContain(TEST_KEY);
    }
  });

  it('refuses a backoff.initialDelay above backoff.maxDelay, naming both values, before anything is sent; left out, it starts at a smaller maxDelay', async () => {
    // It was accepted, and every wait silently cut to maxDelay.
    let sent = 0;
    const fetch = async () => (sent++, new Response('{"msg":"Auth successful"}', { headers: { 'Content-Type': 'application/json' } }));
    const refused = (backoff: object) => {
      try {
        createCoveton({ baseUrl: 'https://api.test', fetch, backoff });
      } catch (e) {
        return e;
      }
    };
    for (const [backoff, message] of [
      [{ initialDelay: 5000, maxDelay: 2000 }, 'backoff.initialDelay: must be a whole number from 0 to 2000, got 5000'],
      [{ initialDelay: 9000 }, 'backoff.initialDelay: must be a whole number from 0 to 8000, got 9000'],
    ] as const) {
      const error = refused(backoff);
      expect(error, JSON.stringify(backoff)).toBeInstanceOf(CovetonInputError);
      expect(error).toMatchObject({ field: 'backoff.initialDelay', message });
    }
    // Equal is fine, and so is a maxDelay under the default 500 when initialDelay is left out.
    for (const backoff of [{ initialDelay: 2000, maxDelay: 2000 }, { maxDelay: 100 }]) {
      await createCoveton({ baseUrl: 'https://api.test', fetch, backoff }).utils.testAuth();
    }
    expect(sent).toBe(2);
  });

  // The method is called bare, not inside `async () =>`: a wrapper would turn a synchronous
  // throw into a rejection and hide it. A method that returns a promise rejects, never throws.
  it('refuses a bad argument to a resource method before sending anything, as a rejected promise', async () => {
    let sent = 0;
    const coveton = createCoveton({ baseUrl: 'https://api.test', fetch: async () => (sent++, new Response('{}')) });
    const calls: Promise<unknown>[] = [];
    expect(() => {
      calls.push(coveton.apiKeys.get('' as string), coveton.apiKeys.create(undefined as never), coveton.apiKeys.delete('..'), coveton.apiKeys.delete('.'));
      calls.push(coveton.apiKeys.list({ limit: '3' as never }));
    }).not.toThrow();
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => (s.status === 'rejected' ? `${(s.reason as Error).name}: ${(s.reason as Error).message}` : s.status))).toEqual([
      'CovetonInputError: apiKeys.get(id): must be a non-empty string, got an empty string',
      'CovetonInputError: apiKeys.create(body): is required',
      'CovetonInputError: apiKeys.delete(id): must not be ".."',
      'CovetonInputError: apiKeys.delete(id): must not be "."',
      'CovetonInputError: apiKeys.list(limit): must be a whole number from 1 to 100, got "3"',
    ]);
    let caught: unknown;
    await coveton.apiKeys.get('..').catch((e: unknown) => (caught = e));
    expect(caught).toBeInstanceOf(CovetonInputError);
    // A list's refusal is still a PagePromise: `for await` and toArray() get the same error.
    const list = coveton.apiKeys.list({ limit: -1 });
    await expect(list.toArray()).rejects.toThrow('apiKeys.list(limit): must be a whole number from 1 to 100, got -1');
    await expect((async () => { for await (const key of list) void key; })()).rejects.toThrow('apiKeys.list(limit)');
    expect(sent).toBe(0);
  });

  // src/cli and src/mock are Node only, behind their own entry points (the bin, @coveton/sdk/mock).
  it('keeps the core free of Node-only APIs, so it runs in browsers, Deno, Bun and workers', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
    })(src).filter((f) => f.endsWith('.ts') && !f.includes(`${'/'}cli${'/'}`) && !f.includes(`${'/'}mock${'/'}`) && !f.includes(`${'/'}tools${'/'}`) && !f.includes('node-'));
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/from ['"](node:|fs|path|http|https|crypto|os|child_process)['"]/);
      expect(text, file).not.toMatch(/\bBuffer\.(from|alloc|concat|isBuffer|byteLength)|\brequire\(/);
      expect(text.replace(/globalThis as \{ process\?/g, ''), file).not.toMatch(/\bprocess\./);
    }
  });
});
