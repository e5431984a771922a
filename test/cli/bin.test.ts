// The built bin as a child process, for what only a process shows: its exit codes, a reader
// that goes away (broken pipe), SIGINT, and the memory of listing 100,000 keys.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/index.js';
import { type FaultServer, json, type Recorded, serverFixture } from '../support/fault-server.js';
import { apiKey, cliArgs, cliEnv, ROOT, runCli, TEST_KEY, useBuiltCli } from './helpers.js';
import { freePort } from '../../src/tools/prism.js';

useBuiltCli();

// The tests run side by side, each with its own server, all closed at the end.
const { serve } = serverFixture('all');

/** Runs `shell` in bash with $COVETON standing for the bin; prints the bin's exit code last. */
function bash(shell: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = [process.execPath, ...cliArgs()].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', shell.replaceAll('$COVETON', bin)], { cwd: ROOT, env: cliEnv({ COVETON_API_KEY: TEST_KEY, ...env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A server with `total` keys, newest first, paged by `limit` and `before`. */
async function manyKeys(total: number): Promise<FaultServer> {
  const template = JSON.stringify(apiKey('key_0000000')).replace('key_0000000', '@@');
  return serve((req: Recorded, res: ServerResponse) => {
    const url = new URL(req.path, 'http://x');
    const limit = Number(url.searchParams.get('limit'));
    const before = url.searchParams.get('before');
    const top = before ? Number(before.slice(4)) - 1 : total;
    const ids = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => `key_${String(top - i).padStart(7, '0')}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`[${ids.map((id) => template.replace('@@', id)).join(',')}]`);
  });
}

describe.concurrent('the bin', () => {
  it('`coveton` alone prints the help on stdout and exits 0; --version names the versions', async () => {
    const alone = await runCli([]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/^Usage: coveton/);
    expect(alone.stderr).toBe('');
    const version = await runCli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `coveton ${VERSION} (@coveton/sdk ${VERSION}, Node ${process.versions.node})\n`, stderr: '' });
  });

  it('--version and --help load only the command definitions: no SDK, no table code, no mock (cold start)', async () => {
    for (const args of [['--version'], ['api-keys', 'list', '--help'], ['--help']]) {
      const child = spawn(process.execPath, [...cliArgs(), ...args], { cwd: ROOT, env: cliEnv({ NODE_DEBUG: 'esm' }) });
      let trace = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (trace += d));
      child.stdout.resume();
      expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
      const urls = [...new Set(trace.match(/file:\/\/[^\s'"]+/g) ?? [])];
      const loaded = urls.map((url) => url.replace(/^.*\/(node_modules|dist)\//, '$1/'));
      // Neither the SDK's build nor the mock's was loaded, and no file of the CLI holds the SDK's client.
      expect(urls.filter((url) => /\/dist\/(index|index\.node|mock)\.js$/.test(url))).toEqual([]);
      const bundle = urls.filter((url) => url.includes('/dist/cli/')).map((url) => readFileSync(fileURLToPath(url), 'utf8'));
      expect(bundle.length).toBeGreaterThan(0);
      expect(bundle.filter((code) => code.includes('function createCoveton('))).toEqual([]);
      expect(loaded.filter((file) => file.startsWith('node_modules/')).every((file) => /^node_modules\/(commander|@commander-js\/extra-typings)\//.test(file)), loaded.join('\n')).toBe(true);
      // The entries loaded on demand: the SDK (src-*), the context, output, errors, verbose lines, each command's work, the mock.
      expect(loaded.filter((file) => /\/(src|context-build|output|describe|verbose|[a-z-]+-run|mock)-[A-Z0-9]+\.js$/.test(file)), loaded.join('\n')).toEqual([]);
    }
  });

  it('exit codes reach the shell: usage error 2 with the pointer to --help', async () => {
    const run = await runCli(['api-keys', 'create']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: missing required options '--name <name>', '--type <type>', '--environment <env>'\nRun 'coveton api-keys create --help' for usage.\n",
    );
  });

  it('get, --verbose and colour through the bin: a tab-separated row, one line per attempt, FORCE_COLOR in a pipe', async () => {
    const server = await serve((req, res) =>
      req.path === '/api-keys/key_1'
        ? json(res, 200, apiKey('key_1', { name: 'Deploy \u001b[31mbot' }), { 'X-Request-Id': 'req_get' })
        : json(res, 404, { error: { code: 'NOT_FOUND', message: 'No such key.' } }),
    );
    const get = await runCli(['api-keys', 'get', 'key_1', '--verbose', '--base-url', server.url], { env: { COVETON_API_KEY: TEST_KEY } });
    expect(get.code).toBe(0);
    expect(get.stdout).toBe('key_1\tDeploy bot\tservice\tsandbox\tactive\tmessages:read\tnever\n');
    expect(get.stderr).toMatch(new RegExp(`^GET ${server.url}/api-keys/key_1 -> 200, request id req_get in \\d+ ms \\(attempt 1\\); done\n$`));
    const forced = await runCli(['api-keys', 'get', 'key_2', '--base-url', server.url], { env: { COVETON_API_KEY: TEST_KEY, FORCE_COLOR: '1' } });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m GET \/api-keys\/\{id\} failed with 404/);
    const plainPipe = await runCli(['api-keys', 'get', 'key_2', '--base-url', server.url], { env: { COVETON_API_KEY: TEST_KEY } });
    expect(plainPipe.stderr).toMatch(/^error: GET/);
  });

  it('stdout that cannot be written (a full disk: /dev/full, ENOSPC) is one message and exit 5, --json too', async () => {
    const server = await serve((_req, res) => json(res, 200, apiKey('key_1')));
    const text = await bash(`$COVETON api-keys get key_1 --base-url ${server.url} > /dev/full; echo "exit=$?"`);
    expect(text.stdout).toBe('exit=5\n');
    expect(text.stderr).toBe('coveton: could not write the result to stdout (ENOSPC): it is lost or incomplete\n');
    const asJson = await bash(`$COVETON api-keys get key_1 --json --base-url ${server.url} > /dev/full; echo "exit=$?"`);
    expect(asJson.stdout).toBe('exit=5\n');
    expect(JSON.parse(asJson.stderr)).toEqual({ error: { type: 'internal_error', message: 'could not write the result to stdout (ENOSPC): it is lost or incomplete', exitCode: 5 } });
  });

  it('a reader that goes away ends the output silently with exit 0 (`| head -1`)', async () => {
    const help = await bash('$COVETON help api-keys list | head -1; echo "exit=${PIPESTATUS[0]}"');
    expect(help.stdout).toBe('Usage: coveton api-keys list [options]\nexit=0\n');
    expect(help.stderr).toBe('');
    const server = await manyKeys(20_000);
    const list = await bash(`$COVETON api-keys list --page-size 100 --base-url ${server.url} | head -1; echo "exit=\${PIPESTATUS[0]}"`);
    expect(list.stdout).toBe(`key_0020000\tKey key_0000000\tservice\tsandbox\tactive\tmessages:read\tnever\nexit=0\n`);
    expect(list.stderr).toBe('');
    expect(server.requests.length).toBeLessThan(200); // it stopped fetching once nobody read
  });

  it('SIGINT (Ctrl-C) while waiting exits 130 without a word', async () => {
    let arrived: () => void = () => {};
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const server = await serve(() => {
      arrived();
      return new Promise(() => {});
    });
    const child = spawn(process.execPath, [...cliArgs(), 'api-keys', 'list', '--base-url', server.url], { cwd: ROOT, env: cliEnv({ COVETON_API_KEY: TEST_KEY }) });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await waiting;
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(output).toBe('');
  });

  it.each([
    ['webhooks listen', ['webhooks', 'listen', '--secret', 'whsec_test', '--port'], 'Listening on'],
    ['mock', ['mock', '--rate-limit', 'off', '--port'], 'http://127.0.0.1:'],
  ])('%s: Ctrl-C (SIGINT) stops it and exits 130; SIGTERM stops it and exits 0', async (_name, args, ready) => {
    for (const [signal, expected] of [['SIGINT', 130], ['SIGTERM', 0]] as const) {
      const port = String(await freePort());
      const child = spawn(process.execPath, [...cliArgs(), ...args, port], { cwd: ROOT, env: cliEnv() });
      let output = '';
      const started = new Promise<void>((resolve) => {
        const seen = (d: Buffer) => {
          output += d.toString();
          if (output.includes(ready)) resolve();
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
      });
      await started;
      child.kill(signal);
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code, `${signal}: ${output}`).toBe(expected);
    }
  }, 60_000);

  it('listing 100,000 keys streams them in bounded memory (peak RSS printed)', async () => {
    // The bin runs with its JavaScript heap capped at 32 MB: holding 100,000 keys (about 60 MB
    // of objects) would end in an out-of-memory crash; printing them page by page fits.
    // Peak RSS of the bin, reported by a preloaded module when the process exits.
    const report = `data:text/javascript,${encodeURIComponent("import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'maxrss='+process.resourceUsage().maxRSS+'\\n'))")}`;
    const peak = async (total: number) => {
      const server = await manyKeys(total);
      const child = spawn(process.execPath, ['--max-old-space-size=32', '--import', report, ...cliArgs(), 'api-keys', 'list', '--page-size', '100', '--base-url', server.url], {
        cwd: ROOT,
        env: cliEnv({ COVETON_API_KEY: TEST_KEY }),
      });
      let lines = 0;
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        for (const byte of d) if (byte === 10) lines++;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      expect(lines).toBe(total);
      return Number(/maxrss=(\d+)/.exec(stderr)![1]) / 1024;
    };
    const small = await peak(1_000);
    const large = await peak(100_000);
    console.log(`coveton api-keys list: peak RSS ${small.toFixed(0)} MB for 1,000 keys, ${large.toFixed(0)} MB for 100,000 keys`);
    expect(large).toBeLessThan(small + 40); // a hundred times the keys, about the same memory
    expect(large).toBeLessThan(200);
  }, 60_000);
});
