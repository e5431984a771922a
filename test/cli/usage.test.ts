// What every command shares: help with examples, usage errors (exit 2), API errors (exit 1),
// network errors (exit 3), --json errors, and a key given on the command line never shown.
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/index.js';
import { apiError, drop, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { closedPort, runCli, TEST_KEY, useBuiltCli } from './helpers.js';

useBuiltCli();

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.concurrent('help', () => {
  it.each([[[]], [['api-keys']], [['api-keys', 'list']], [['api-keys', 'create']], [['auth', 'test']], [['mock']], [['contract']]])(
    'coveton %j --help shows examples, exit 0',
    async (words) => {
      const run = await runCli([...words, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toMatch(/\$ coveton /);
    },
  );

  it('the top-level help lists the commands, the environment variables and the exit codes', async () => {
    const { stdout } = await runCli(['--help']);
    for (const text of ['api-keys', 'auth', 'mock', 'contract', 'COVETON_API_KEY', 'COVETON_BASE_URL', '--json', 'Exit codes:']) {
      expect(stdout).toContain(text);
    }
  });

  it('--version prints the version', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });
});

describe.concurrent('usage errors exit 2', () => {
  it.each([
    [['api-keys', 'list', '--bogus'], "unknown option '--bogus'"],
    [['api-keys', 'list', '--status', 'deleted'], 'Allowed choices are active, revoked, suspended, expired'],
    [['api-keys', 'list', '--environment', 'prod'], 'Allowed choices are production, staging, development, sandbox'],
    [['api-keys', 'list', '--page-size', '0'], 'must be a whole number from 1 to 100'],
    [['api-keys', 'create', '--type', 'service', '--environment', 'sandbox'], "required option '--name <name>' not specified"],
    [['api-keys', 'update', 'key_1'], "required option '--status <status>' not specified"],
    [['api-keys', 'delete'], "missing required argument 'api_key_id'"],
    [['api-keys', 'lsit'], "unknown command 'lsit'"],
    [['api-keys', 'list', '--base-url', 'not a url'], '--base-url (or COVETON_BASE_URL) must be an absolute http(s) URL'],
    [['contract'], "required option '--target <url>' not specified"],
    [['mock', '--port', '99999'], 'must be a port number'],
  ])('coveton %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('no command at all shows the help on stderr', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: coveton');
  });
});

describe('network and API errors', () => {
  it('a closed port is a network error (exit 3) that names the cause', async () => {
    const port = await closedPort();
    const run = await runCli(['api-keys', 'list', '--base-url', `http://127.0.0.1:${port}`, '--api-key', TEST_KEY]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: could not reach http://127.0.0.1:${port}: connection refused`);
  });

  it('a dropped connection is a network error too; --json puts the error as JSON on stderr', async () => {
    server = await startFaultServer((_req, res) => drop(res));
    const run = await runCli(['auth', 'test', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: { type: 'network_error', message: expect.stringContaining('could not reach'), exitCode: 3 } });
  });

  it('a 5xx is an API error (exit 1); --json gives status, code and request id', async () => {
    server = await startFaultServer((_req, res) => apiError(res, 500, 'INTERNAL', 'Something broke.'));
    const run = await runCli(['api-keys', 'list', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr).error).toMatchObject({ type: 'api_error', status: 500, code: 'INTERNAL', requestId: 'req_500', exitCode: 1 });
  });
});

describe('a key given with --api-key is never shown', () => {
  const KEY = 'ak_live_NEVERSHOWNneverShown0123456789';

  it('not even when the server echoes it in its error message, nor in --json', async () => {
    server = await startFaultServer((req, res) =>
      apiError(res, 401, 'UNAUTHORIZED', `Key ${String(req.headers.authorization)} is not valid`, { reason: 'token_invalid' }),
    );
    const url = server.url;
    const runs = await Promise.all(
      [
        ['api-keys', 'list'],
        ['api-keys', 'list', '--json'],
        ['auth', 'test'],
        ['auth', 'test', '--json'],
        ['api-keys', 'update', 'key_1', '--status', 'active'],
      ].map((args) => runCli([...args, '--base-url', url, '--api-key', KEY])),
    );
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain(KEY);
      expect(run.stdout + run.stderr).not.toContain('NEVERSHOWN');
    }
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('nor in a usage error about a mistyped flag, nor in a network error', async () => {
    const typo = await runCli(['api-keys', 'list', `--api-kye=${KEY}`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option');
    expect(typo.stderr).not.toContain('NEVERSHOWN');
    const port = await closedPort();
    const offline = await runCli(['api-keys', 'list', '--base-url', `http://127.0.0.1:${port}`, '--api-key', KEY]);
    expect(offline.code).toBe(3);
    expect(offline.stdout + offline.stderr).not.toContain('NEVERSHOWN');
  });
});
