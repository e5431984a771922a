// A server that answers, but outside the API contract (a 2xx that is not JSON, a redirect, a key
// with fields missing): exit 1 with "the server's answer breaks the API contract", never 5 (a
// CLI bug) nor "pages did not advance" when they did not get the chance. Run in process.
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
    ['fieldsMissing', 'get', "apiKeys.get (GET /api-keys/{id}) answered 200 with a key whose name, type, environment, status, permissions are missing or not of the spec's type"],
    ['fieldsMissing', 'list', "apiKeys.list (GET /api-keys) answered 200 with a key whose type, environment, status, permissions are missing or not of the spec's type"],
  ])('%s on %s: exit 1, said as such', async (mode, command, what) => {
    const server = await serve((req, res) => MODES[mode]!(res, req.path));
    const args = command === 'get' ? ['api-keys', 'get', 'key_a'] : ['api-keys', 'list'];
    const run = await runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${BROKE}${what}`);
    const asJson = await runProgram([...args, '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(asJson.code).toBe(mode === 'fieldsMissing' ? 0 : 1); // --json passes the server's data on as it is
    if (mode !== 'fieldsMissing') expect(JSON.parse(asJson.stderr).error).toMatchObject({ type: 'contract_error', exitCode: 1 });
  });

  it('pages that do not advance still say so, after the rows they printed', async () => {
    const server = await serve((_req, res) => json(res, 200, [apiKey('key_b'), apiKey('key_a')]));
    const run = await runProgram(['api-keys', 'list', '--page-size', '2', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toHaveLength(3);
    expect(run.stderr).toContain("stopped after 2 keys: the server's pages did not advance");
  });
});
