// `coveton auth test`, run in process: the key works (Prism), or the API's 401/403 reason in plain words
// (scripted server, since Prism answers every refusal with the same canned example).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiError, type FaultServer, serverFixture } from '../support/fault-server.js';
import { runProgram as runCli, TEST_KEY } from './helpers.js';
import { prismMock } from '../support/prism-mock.js';


const mock = prismMock();
const { serve } = serverFixture();
let server: FaultServer | undefined;

/** A server that refuses every call with this status and reason. */
async function refusing(status: 401 | 403, reason: string) {
  server = await serve((_req, res) =>
    apiError(res, status, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', `Refused (${reason}).`, { reason }),
  );
  return server;
}

describe('auth test', () => {
  it('says the key works (exit 0) against the mock, without showing the key', async () => {
    const run = await runCli(['auth', 'test', '--base-url', mock, '--api-key', TEST_KEY]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`OK: a test (non-production) key from --api-key works against ${mock} (Auth successful).\n`);
    const asJson = await runCli(['auth', 'test', '--json', '--base-url', mock], { env: { COVETON_API_KEY: TEST_KEY } });
    expect(JSON.parse(asJson.stdout)).toEqual({ ok: true, baseUrl: mock, keySource: 'env', message: 'Auth successful' });
  });

  it('calls GET /utils/authtest with the key as a bearer token', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"msg":"Auth successful"}');
    });
    const run = await runCli(['auth', 'test', '--base-url', server.url], { env: { COVETON_API_KEY: TEST_KEY } });
    expect(run.code).toBe(0);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/utils/authtest' });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  it('missing key: says so before sending anything, and how to send one', async () => {
    await refusing(401, 'credentials_missing');
    const run = await runCli(['auth', 'test', '--base-url', server!.url]);
    expect(server!.requests).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: no credential: set COVETON_API_KEY or pass --api-key (nothing was sent)\nRun 'coveton auth test --help' for usage.\n");
    // The guide says the same: no key is a usage error before sending (exit 2), not the API's 401.
    const guide = readFileSync(new URL('../../docs/guides/cli.md', import.meta.url), 'utf8');
    const section = guide.slice(guide.indexOf('## Does my key work?'), guide.indexOf('\n## ', guide.indexOf('## Does my key work?') + 1));
    expect(section).toContain(`sends nothing and stops with a usage error (exit code 2)`);
    expect(section).toContain(`\n${run.stderr.split('\n')[0]}\n`);
    const listing = await runCli(['api-keys', 'list', '--base-url', 'not a url']);
    expect(listing.stderr).toContain('--base-url (or COVETON_BASE_URL) must be an absolute http(s) URL'); // options first
  });

  it.each([
    [401, 'key_revoked', 'the API key has been revoked'],
    [401, 'key_suspended', 'the API key is suspended'],
    [401, 'wrong_environment', 'the API key belongs to another environment'],
    [403, 'ip_not_allowed', "this machine's IP address is not in the key's allowed IPs"],
  ] as const)('%i %s: explains it in words (exit 1), never echoing the key', async (status, reason, words) => {
    await refusing(status, reason);
    const run = await runCli(['auth', 'test', '--base-url', server!.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: authentication failed against ${server!.url}: ${words}`);
    expect(run.stderr).toContain(`reason ${reason}`);
    expect(run.stdout + run.stderr).not.toContain(TEST_KEY);
  });

  it('wrong environment: names the kind of key that was sent', async () => {
    await refusing(401, 'wrong_environment');
    const run = await runCli(['auth', 'test', '--base-url', server!.url, '--api-key', TEST_KEY]);
    expect(run.stderr).toContain('(you sent a test (non-production) key)');
    expect(run.stderr).toContain('test keys (ak_test_...) work only on the sandbox and the mock, live keys (ak_live_...) only in production');
  });

  it('--json: the failure is the result, on stdout', async () => {
    await refusing(401, 'key_revoked');
    const run = await runCli(['auth', 'test', '--json', '--base-url', server!.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      baseUrl: server!.url,
      keySource: 'flag',
      status: 401,
      code: 'UNAUTHORIZED',
      reason: 'key_revoked',
      message: expect.stringContaining('revoked'),
      requestId: 'req_401',
    });
    expect(run.stderr).toBe('');
  });
});
