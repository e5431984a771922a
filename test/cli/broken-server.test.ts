// A server that answers outside the API contract (a 2xx that is not JSON, a redirect, a key with
// fields missing): exit 1 with "the server's answer breaks the API contract", never 5 (a CLI bug)
// nor "pages did not advance" when they did not get the chance. And api-keys create's own input
// checks, held to the spec's rules. Run in process.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

const MODES: Record<string, (res: ServerResponse, path: string) => void> = {
  text: (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  },
  redirect: (res) => {
    res.writeHead(302, { location: 'https://evil.example/x' });
    res.end();
  },
  fieldsMissing: (res, path) => json(res, 200, path.startsWith('/api-keys/') ? { id: 'key_a' } : [{ id: 'key_a', name: 'n' }]),
};

const BROKE = "error: the server's answer breaks the API contract: ";

describe('a server that breaks the contract', () => {
  it.each([
    ['text', 'get', 'apiKeys.get (GET /api-keys/{id}) answered 200 with a body that is not JSON'],
    ['text', 'list', 'apiKeys.list (GET /api-keys) answered 200 with a body that is not JSON'],
    ['redirect', 'get', 'GET /api-keys/{id} answered 302 with a redirect to https://evil.example/x; not followed'],
    ['redirect', 'list', 'GET /api-keys answered 302 with a redirect to https://evil.example/x; not followed'],
    ['fieldsMissing', 'get', 'apiKeys.get (GET /api-keys/{id}) answered 200 with a key missing the required fields name, description, type, environment, permissions, allowedIps, status, statusReason, keyPrefix, createdAt, lastUsedAt, expiresAt'],
    ['fieldsMissing', 'list', 'apiKeys.list (GET /api-keys) answered 200 with a key (item 1 of its page) missing the required fields description, type, environment, permissions, allowedIps, status, statusReason, keyPrefix, createdAt, lastUsedAt, expiresAt'],
  ])('%s on %s: exit 1, said as such', async (mode, command, what) => {
    const server = await serve((req, res) => MODES[mode]!(res, req.path));
    const args = command === 'get' ? ['api-keys', 'get', 'key_a'] : ['api-keys', 'list'];
    const run = await runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${BROKE}${what}`);
    const asJson = await runProgram([...args, '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(asJson.code).toBe(1); // --json too: a script never parses a key that lacks what the spec requires
    expect(asJson.stdout).toBe('');
    expect(JSON.parse(asJson.stderr).error).toMatchObject({ type: 'contract_error', exitCode: 1 });
  });

  it.each([
    ['create', ['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox'], 201,
      'apiKeys.create (POST /api-keys) answered 201 with a new key missing the required fields name, description, type, environment, permissions, allowedIps, status, statusReason, keyPrefix, createdAt, lastUsedAt, expiresAt, secret (the key may have been created: `coveton api-keys list` shows it)'],
    ['update', ['api-keys', 'update', 'key_a', '--status', 'suspended'], 200,
      'apiKeys.update (PATCH /api-keys/{id}) answered 200 with a key missing the required fields name, description, type, environment, permissions, allowedIps, status, statusReason, keyPrefix, createdAt, lastUsedAt, expiresAt'],
  ] as const)('fields missing in the answer to %s: exit 1, said as such, never "undefined"', async (_name, args, status, what) => {
    const server = await serve((_req, res) => json(res, status, { id: 'key_a' }));
    const run = await runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${BROKE}${what}`);
    expect(run.stdout + run.stderr).not.toContain('undefined');
    expect(server.requests).toHaveLength(1);
  });

  it('pages that do not advance still say so, after the rows they printed', async () => {
    const server = await serve((_req, res) => json(res, 200, [apiKey('key_b'), apiKey('key_a')]));
    const run = await runProgram(['api-keys', 'list', '--page-size', '2', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toHaveLength(3);
    expect(run.stderr).toContain("stopped after 2 keys: the server's answer breaks the API contract: apiKeys.list: pages do not advance: page 2 holds an id already sent as a cursor");
  });
});

describe('api-keys create checks its input as the spec does', () => {
  const create = (url: string, ...extra: string[]) =>
    runProgram(['api-keys', 'create', '--type', 'service', '--environment', 'sandbox', ...extra, '--base-url', url, '--api-key', TEST_KEY]);

  it('--name counts characters (code points), not UTF-16 units; --expires-at takes RFC 3339 date-times only', async () => {
    const server = await serve((req, res) => json(res, 201, { ...apiKey('key_new', JSON.parse(req.body) as Record<string, unknown>), secret: 'ak_test_abcdefghijklmnopqrstuvwxyz' }));
    const keys = '🔑'.repeat(101); // 101 characters, 202 UTF-16 units
    expect((await create(server.url, '--name', keys)).code).toBe(0);
    expect(JSON.parse(server.requests[0]!.body).name).toBe(keys);
    const long = await create(server.url, '--name', '🔑'.repeat(201));
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('must be 1 to 200 characters (got 201)');
    for (const bad of ['2027', '1 Jan 2027', '2027-01-01', '2027-02-30T00:00:00Z', '2027-01-01T24:00:00Z', '2027-01-01T00:00:00']) {
      const run = await create(server.url, '--name', 'x', '--expires-at', bad);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain('must be an RFC 3339 date-time such as 2027-01-01T00:00:00Z');
    }
    expect(server.requests).toHaveLength(1);
    for (const good of ['2027-01-01T00:00:00Z', '2027-01-01t10:30:00.5+02:00']) {
      expect((await create(server.url, '--name', 'x', '--expires-at', good)).code, good).toBe(0);
      expect(JSON.parse(server.requests.at(-1)!.body).expiresAt).toBe(good);
    }
  });
});
