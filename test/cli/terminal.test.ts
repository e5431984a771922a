// On a terminal (a pseudo-terminal from util-linux `script`): `delete` asks before deleting, and
// a spinner shows while waiting. Off a terminal the other files show neither happens.
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKey, cliEnv, ROOT, TEST_KEY, type Run, useBuiltCli, cliArgs } from './helpers.js';

useBuiltCli();

const hasScript = spawnSync('script', ['--version']).status === 0;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal, typing `typed` into it. */
function onTerminal(args: string[], typed: string): Promise<Run> {
  const command = [process.execPath, ...cliArgs(), ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: cliEnv({ TERM: 'xterm-256color', COVETON_API_KEY: TEST_KEY }),
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stdin.write(typed); // stdin stays open: `script` would hang up the terminal on EOF
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; output: ${output}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: output, stderr: '' });
    });
  });
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('delete asks first; "y" deletes', async () => {
    server = await startFaultServer((_req, res) => json(res, 204, undefined));
    const run = await onTerminal(['api-keys', 'delete', 'key_1', '--base-url', server.url], 'y\n');
    expect(run.stdout).toContain('Delete API key key_1? Systems using it lose access at once. [y/N]');
    expect(run.stdout).toContain('Deleted API key key_1.');
    expect(run.code).toBe(0);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api-keys/key_1']);
  });

  it('delete asks first; anything but yes keeps the key (exit 2)', async () => {
    server = await startFaultServer((_req, res) => json(res, 204, undefined));
    const run = await onTerminal(['api-keys', 'delete', 'key_1', '--base-url', server.url], 'n\n');
    expect(run.stdout).toContain('not deleted: key_1 is unchanged');
    expect(run.code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('a spinner shows while waiting, and never with --json', async () => {
    server = await startFaultServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      json(res, 200, [apiKey('key_1')]);
    });
    const human = await onTerminal(['api-keys', 'list', '--base-url', server.url], '');
    expect(human.code).toBe(0);
    const plain = human.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Fetching API keys/);
    expect(plain).toContain('key_1  Key key_1  service'); // the spinner is gone before the table
    const machine = await onTerminal(['api-keys', 'list', '--json', '--base-url', server.url], '');
    expect(machine.stdout).not.toMatch(/Fetching API keys/);
    expect(JSON.parse(machine.stdout.replace(/\r/g, ''))).toHaveLength(1);
  });
});
