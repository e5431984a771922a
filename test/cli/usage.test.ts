// What every command shares, run in process: help (examples everywhere, required options
// marked, options only where they act, one wording), usage errors (exit 2, every missing
// option at once, a pointer to --help), API errors (exit 1), network errors (exit 3), --json
// errors, --verbose attempt lines, and a key given on the command line never shown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERSION } from '../../src/index.js';
import { apiError, drop, type FaultServer, json, serverFixture, startFaultServer } from '../support/fault-server.js';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js';
import { apiKey, closedPort, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();
let server: FaultServer | undefined;

const COMMANDS = [[], ['api-keys'], ['api-keys', 'list'], ['api-keys', 'get'], ['api-keys', 'create'], ['api-keys', 'update'], ['api-keys', 'delete'], ['auth'], ['auth', 'test'], ['mock'], ['contract'], ['webhooks'], ['webhooks', 'trigger'], ['webhooks', 'listen']];

describe('help', () => {
  it.each(COMMANDS)('coveton %j --help: examples, one wording for the help option, exit 0', async (...words) => {
    const run = await runProgram([...words, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toMatch(/\$ coveton /);
    expect(run.stdout).toMatch(/-h, --help +show help\n/);
    expect(run.stdout).not.toMatch(/display help for command/);
  });

  it('`coveton` alone, `coveton help` and a group alone show help on stdout with exit 0', async () => {
    for (const args of [[], ['help'], ['api-keys']]) {
      const run = await runProgram(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^Usage: coveton/);
      expect(run.stderr).toBe('');
    }
    expect((await runProgram(['help', 'api-keys', 'list'])).stdout).toMatch(/^Usage: coveton api-keys list/);
  });

  it('the top-level help lists the commands, the environment variables and the exit codes', async () => {
    const { stdout } = await runProgram(['--help']);
    for (const text of ['api-keys', 'auth', 'mock', 'contract', 'COVETON_API_KEY', 'COVETON_BASE_URL', 'NO_COLOR', '--json', 'Exit codes:', '6  cancelled', '130  interrupted']) {
      expect(stdout).toContain(text);
    }
  });

  it('marks required options, and shows API options only on the commands that call the API', async () => {
    const create = (await runProgram(['api-keys', 'create', '--help'])).stdout;
    expect(create).toMatch(/--name <name> +display name, 1 to 200 characters \(required\)/);
    expect(create).toMatch(/--type <type> .*\(required\)/s);
    expect(create).not.toMatch(/--description <text>[^\n]*\(required\)/);
    for (const words of [['api-keys', 'list'], ['auth', 'test']]) {
      const help = (await runProgram([...words, '--help'])).stdout;
      for (const flag of ['--api-key <key>', '--base-url <url>', '--verbose']) expect(help).toContain(flag);
    }
    // mock and webhooks call no API: no credential or base URL options (mock's own --verbose is its request log).
    for (const words of [['mock'], ['webhooks', 'listen']]) {
      const help = (await runProgram([...words, '--help'])).stdout;
      for (const flag of ['--api-key', '--base-url', '--version']) expect(help).not.toContain(flag);
      expect(help).toContain('--json');
    }
  });

  it('the top-level help lists mock and webhooks (loaded only when named) with their own descriptions', async () => {
    const top = (await runProgram(['--help'])).stdout.replace(/\s+/g, ' ');
    for (const name of ['mock', 'webhooks']) {
      const own = (await runProgram([name, '--help'])).stdout.split('\n')[2]!;
      expect(own.length).toBeGreaterThan(10);
      expect(top).toContain(`${name} ${own}`.replace(/\s+/g, ' '));
    }
  });

  it('--version names coveton, the SDK and Node', async () => {
    expect(await runProgram(['--version'])).toMatchObject({ code: 0, stdout: `coveton ${VERSION} (@coveton/sdk ${VERSION}, Node ${process.versions.node})\n` });
  });
});

describe('usage errors exit 2 and point to --help', () => {
  it.each([
    [['api-keys', 'list', '--bogus'], "unknown option '--bogus'", 'coveton api-keys list'],
    [['api-keys', 'list', '--status', 'deleted'], 'Allowed choices are active, revoked, suspended, expired', 'coveton api-keys list'],
    [['api-keys', 'list', '--environment', 'prod'], 'Allowed choices are production, staging, development, sandbox', 'coveton api-keys list'],
    [['api-keys', 'list', '--page-size', '0'], 'must be a whole number from 1 to 100', 'coveton api-keys list'],
    [['api-keys', 'create', '--type', 'service', '--environment', 'sandbox'], "missing required option '--name <name>'", 'coveton api-keys create'],
    [['api-keys', 'create'], "missing required options '--name <name>', '--type <type>', '--environment <env>'", 'coveton api-keys create'],
    [['api-keys', 'update'], "missing required argument <api_key_id> and option '--status <status>'", 'coveton api-keys update'],
    [['api-keys', 'delete'], 'missing required argument <api_key_id>', 'coveton api-keys delete'],
    [['api-keys', 'lsit'], "unknown command 'lsit'", 'coveton api-keys'],
    [['api-keys', 'list', '--base-url', 'not a url'], '--base-url (or COVETON_BASE_URL) must be an absolute http(s) URL', 'coveton api-keys list'],
    [['contract'], "missing required option '--target <url>'", 'coveton contract'],
    [['mock', '--port', '99999'], 'must be a port number', 'coveton mock'],
  ])('coveton %j', async (args, message, path) => {
    const run = await runProgram(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`Run '${path} --help' for usage.`);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['webhooks', 'trigger', 'message.created', '--secret', 'whsec_test', '--to'], '--to'],
    [['mock', '--webhook-secret', 'whsec_test', '--webhook-url'], '--webhook-url'],
  ])('coveton %j user:password@ URL: a usage error that names the problem, never the password', async (args, flag) => {
    for (const json of [[], ['--json']]) {
      const run = await runProgram([...args, 'http://alice:hunter2pass@127.0.0.1:1/hook', ...json]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('hunter2pass');
      const message = `${flag} must not hold a user name or password (user:password@ in http://127.0.0.1:1/hook)`;
      if (json.length > 0) expect(JSON.parse(run.stderr).error).toMatchObject({ type: 'usage_error', message: expect.stringContaining(message), exitCode: 2 });
      else expect(run.stderr).toContain(`error: ${message}`);
    }
  });

  // An empty signing secret is the caller's mistake (exit 2), not a CLI bug (it was exit 5), and
  // `listen` must not start with it: it answered 400 to every delivery, blaming the sender.
  describe('an empty webhook signing secret', () => {
    afterEach(() => vi.unstubAllEnvs());
    const commands = [
      [['webhooks', 'trigger', 'message.created', '--to', 'http://127.0.0.1:1/hook'], 'coveton webhooks trigger'],
      [['webhooks', 'trigger', 'checkout.session.completed', '--provider', 'stripe', '--to', 'http://127.0.0.1:1/hook'], 'coveton webhooks trigger'],
      [['webhooks', 'listen', '--port', '1'], 'coveton webhooks listen'],
    ] as const;
    it.each(commands)('coveton %j --secret \'\': a usage error, with and without --json', async (args, path) => {
      const run = await runProgram([...args, '--secret', '']);
      expect(run).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining("error: option '--secret <secret>' argument '' is invalid. must not be empty") });
      expect(run.stderr).toContain(`Run '${path} --help' for usage.`);
      const json = await runProgram([...args, '--secret', '', '--json']);
      expect(json.code).toBe(2);
      expect(json.stdout).toBe('');
      expect(JSON.parse(json.stderr)).toEqual({ error: { type: 'usage_error', message: expect.stringContaining('must not be empty'), exitCode: 2 } });
    }, 5_000);
    it.each(commands)('coveton %j with COVETON_WEBHOOK_SECRET empty: a usage error naming the variable', async (args) => {
      vi.stubEnv('COVETON_WEBHOOK_SECRET', '');
      const run = await runProgram([...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain("from env 'COVETON_WEBHOOK_SECRET' is invalid. must not be empty");
    }, 5_000);
  });

  it.each([
    [['api-keys', 'get'], 'missing required argument <api_key_id>'],
    [['api-keys', 'list', '--status', 'bogus'], "option '--status <status>' argument 'bogus' is invalid. Allowed choices are active, revoked, suspended, expired."],
    [['api-keys', 'list', '--no-such-flag'], "unknown option '--no-such-flag'"],
    [['api-keys', 'lsit'], "unknown command 'lsit'"],
    [['api-keys', 'list', '--page-size', '0'], 'must be a whole number from 1 to 100'],
    [['api-keys', 'list', `--api-kye=${TEST_KEY}`], "unknown option '--api-kye=[REDACTED]'"],
  ])('with --json, coveton %j: the JSON error document alone on stderr', async (args, message) => {
    const run = await runProgram([...args, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const parsed = JSON.parse(run.stderr) as { error: { type: string; message: string; exitCode: number } };
    expect(parsed).toEqual({ error: { type: 'usage_error', message: expect.stringContaining(message), exitCode: 2 } });
    expect(run.stderr).not.toContain(TEST_KEY);
  });
});

// Each of these waits out the SDK's real backoff between retries: side by side, with their own servers.
describe.concurrent('network and API errors', () => {
  it('a closed port is a network error (exit 3) that names the cause', async () => {
    const port = await closedPort();
    const run = await runProgram(['api-keys', 'list', '--base-url', `http://127.0.0.1:${port}`, '--api-key', TEST_KEY]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: could not reach http://127.0.0.1:${port}: connection refused`);
  });

  it('a dropped connection is a network error too; --json puts the error as JSON on stderr', async () => {
    const dropping = await startFaultServer((_req, res) => drop(res));
    try {
      const run = await runProgram(['auth', 'test', '--json', '--base-url', dropping.url, '--api-key', TEST_KEY]);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(JSON.parse(run.stderr)).toEqual({ error: { type: 'network_error', message: expect.stringContaining('could not reach'), exitCode: 3 } });
    } finally {
      await dropping.close();
    }
  }, 15_000);

  it('a 5xx is an API error (exit 1); --json gives status, code and request id', async () => {
    const failing = await startFaultServer((_req, res) => apiError(res, 500, 'INTERNAL', 'Something broke.'));
    try {
      const run = await runProgram(['api-keys', 'list', '--json', '--base-url', failing.url, '--api-key', TEST_KEY]);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stderr).error).toMatchObject({ type: 'api_error', status: 500, code: 'INTERNAL', requestId: 'req_500', exitCode: 1 });
    } finally {
      await failing.close();
    }
  }, 15_000);
});

describe('--verbose', () => {
  it('prints one line per attempt: method, URL without its query, status, request id, time, and the retry decision', async () => {
    let calls = 0;
    server = await serve((_req, res) =>
      ++calls === 1
        ? apiError(res, 503, 'INTERNAL', 'busy', {}, { 'X-Request-Id': 'req_first', 'Retry-After': '0' })
        : json(res, 200, [apiKey('key_1')], { 'X-Request-Id': 'req_second' }),
    );
    const run = await runProgram(['api-keys', 'list', '--verbose', '--filter', 'secret-words', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^GET ${server.url}/api-keys -> 503, request id req_first in \\d+ ms \\(attempt 1\\); retry in \\d+ ms \\(503 INTERNAL\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^GET ${server.url}/api-keys -> 200, request id req_second in \\d+ ms \\(attempt 2\\); done$`));
    expect(run.stderr).not.toContain('secret-words');
    expect(run.stderr).not.toContain(TEST_KEY);
    expect(run.stderr).not.toContain('busy'); // no body
  });

  it('COVETON_LOG=debug does the same; a final error says it is not retried', async () => {
    server = await serve((_req, res) => apiError(res, 404, 'NOT_FOUND', 'nope', {}, { 'X-Request-Id': 'req_404' }));
    const run = await runProgram(['api-keys', 'get', 'key_1', '--base-url', server.url, '--api-key', TEST_KEY], { env: { COVETON_LOG: 'debug' } });
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api-keys\/key_1 -> 404, request id req_404 in \d+ ms \(attempt 1\); no retry: not retryable$/);
    expect(lines[1]).toMatch(/^error: GET \/api-keys\/\{id\} failed with 404/);
  });
});

describe('--verbose takes the route of a quiet run', () => {
  let proxy: ForwardProxy | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await proxy?.close();
    proxy = undefined;
  });

  it('HTTP_PROXY is honoured with --verbose and with COVETON_LOG=debug, as without them', async () => {
    server = await serve((_req, res) => json(res, 200, apiKey('key_1'), { 'X-Request-Id': 'req_proxied' }));
    proxy = await startForwardProxy();
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '');
    const args = ['api-keys', 'get', 'key_1', '--base-url', server.url, '--api-key', TEST_KEY];
    const quiet = await runProgram(args);
    const verbose = await runProgram([...args, '--verbose']);
    const debug = await runProgram(args, { env: { COVETON_LOG: 'debug' } });
    for (const run of [quiet, verbose, debug]) expect(run.code).toBe(0);
    const host = new URL(server.url).host;
    expect(proxy.seen).toEqual([host, host, host]);
    expect(server.requests).toHaveLength(3);
    for (const run of [verbose, debug]) {
      expect(run.stderr).toMatch(new RegExp(`^GET ${server.url}/api-keys/key_1 -> 200, request id req_proxied in \\d+ ms \\(attempt 1\\); done\n$`));
    }
  });
});

describe('a key given with --api-key is never shown', () => {
  const KEY = 'ak_live_NEVERSHOWNneverShown0123456789';

  it('not even when the server echoes it in its error message, nor in --json', async () => {
    server = await serve((req, res) =>
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
        ['api-keys', 'get', 'key_1', '--verbose'],
      ].map((args) => runProgram([...args, '--base-url', url, '--api-key', KEY])),
    );
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain(KEY);
      expect(run.stdout + run.stderr).not.toContain('NEVERSHOWN');
    }
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('nor in a usage error about a mistyped flag, nor in a network error', async () => {
    const typo = await runProgram(['api-keys', 'list', `--api-kye=${KEY}`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option');
    expect(typo.stderr).not.toContain('NEVERSHOWN');
    const port = await closedPort();
    const offline = await runProgram(['api-keys', 'list', '--base-url', `http://127.0.0.1:${port}`, '--api-key', KEY]);
    expect(offline.code).toBe(3);
    expect(offline.stdout + offline.stderr).not.toContain('NEVERSHOWN');
  });
});
