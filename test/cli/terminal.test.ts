// On a real terminal (a pseudo-terminal from util-linux `script`), with the built bin: the
// delete confirmation (yes, no, Ctrl-D, Ctrl-C), Ctrl-C while waiting, colour, the table fitted
// to the terminal's width, and the spinner. Off a terminal the other files show none happens.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { apiError, json, serverFixture } from '../support/fault-server.js';
import { apiKey, cliArgs, cliEnv, plain, ROOT, TEST_KEY, type Run, useBuiltCli } from './helpers.js';

useBuiltCli();

const hasScript = spawnSync('script', ['--version']).status === 0;

// The tests run side by side, each with its own server, all closed at the end.
const { serve } = serverFixture('all');

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface TerminalOptions {
  /** Typed once the output shows `when` (at once without it). */
  type?: string;
  when?: string;
  columns?: number;
  env?: Record<string, string>;
  /** Called with all the output so far, after each chunk. */
  onOutput?: (output: string) => void;
}

/**
 * Lines as a terminal shows them: after a carriage return (or a move to column 1, as a spinner
 * clears its line), the rest of the line overwrites what was there.
 */
function screen(output: string): string {
  return output
    .replace(/\u001b\[\d*G/g, '\r')
    .split('\n')
    .map((line) => line.replace(/\r+$/, '').split('\r').pop()!)
    .join('\n');
}

/**
 * Runs the CLI on a pseudo-terminal. `stdout` is what the terminal shows in the end (stdout and
 * stderr, a spinner's frames overwritten), `raw` every byte written.
 */
function onTerminal(args: string[], options: TerminalOptions = {}): Promise<Run & { raw: string }> {
  const command = [process.execPath, ...cliArgs(), ...args].map(quote).join(' ');
  const sized = `stty cols ${options.columns ?? 120} rows 40; exec ${command}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', sized, '/dev/null'], {
      cwd: ROOT,
      env: cliEnv({ TERM: 'xterm-256color', COVETON_API_KEY: TEST_KEY, ...options.env }),
    });
    let output = '';
    let typed = options.type === undefined;
    const typeNow = () => {
      if (typed || (options.when !== undefined && !output.includes(options.when))) return;
      typed = true;
      child.stdin.write(options.type!); // stdin stays open: `script` would hang up the terminal on EOF
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      options.onOutput?.(output);
      typeNow();
    });
    typeNow();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; output: ${output}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: screen(output), raw: output.replace(/\r/g, ''), stderr: '' });
    });
  });
}

const PROMPT = 'Delete API key key_1? Systems using it lose access at once. [y/N] ';

describe.skipIf(!hasScript)('on a terminal', { concurrent: true }, () => {
  it('delete asks first; "y" deletes', async () => {
    const server = await serve((_req, res) => json(res, 204, undefined));
    const run = await onTerminal(['api-keys', 'delete', 'key_1', '--base-url', server.url], { type: 'y\r', when: PROMPT });
    expect(run.raw).toContain(PROMPT);
    expect(run.stdout).toContain('Deleted API key key_1.');
    expect(run.code).toBe(0);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api-keys/key_1']);
  });

  it.each([
    ['"n"', 'n\r'],
    ['Enter alone', '\r'],
    ['Ctrl-D', '\u0004'],
  ])('delete: %s cancels: "Cancelled.", exit 6, nothing sent', async (_name, keys) => {
    const server = await serve((_req, res) => json(res, 204, undefined));
    const run = await onTerminal(['api-keys', 'delete', 'key_1', '--base-url', server.url], { type: keys, when: PROMPT });
    expect(plain(run.stdout)).toMatch(/Cancelled\.\n$/);
    expect(run.stdout).not.toContain('error');
    expect(run.code).toBe(6);
    expect(server.requests).toHaveLength(0);
  });

  it('delete: Ctrl-C at the question leaves quietly with 130', async () => {
    const server = await serve((_req, res) => json(res, 204, undefined));
    const run = await onTerminal(['api-keys', 'delete', 'key_1', '--base-url', server.url], { type: '\u0003', when: PROMPT });
    expect(run.code).toBe(130);
    expect(run.stdout).not.toMatch(/error|Aborted|Cancelled/);
    expect(server.requests).toHaveLength(0);
  });

  it('Ctrl-C while waiting for the API leaves quietly with 130 and gives the cursor back', async () => {
    const server = await serve(() => new Promise(() => {})); // never answers
    const run = await onTerminal(['api-keys', 'list', '--base-url', server.url], { type: '\u0003', when: 'Fetching API keys' });
    expect(run.code).toBe(130);
    expect(plain(run.stdout)).not.toMatch(/error/);
    const hidden = run.raw.lastIndexOf('\u001b[?25l');
    expect(run.raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(hidden); // the spinner hid it, and showed it again
  });

  it('colour on a terminal (status words, header, errors); NO_COLOR turns it off', async () => {
    const server = await serve((req, res) =>
      req.path.startsWith('/api-keys?') ? json(res, 200, [apiKey('key_1'), apiKey('key_2', { status: 'revoked' })]) : apiError(res, 404, 'NOT_FOUND', 'No such key.'),
    );
    const list = await onTerminal(['api-keys', 'list', '--base-url', server.url]);
    expect(list.stdout).toContain('\u001b[32mactive\u001b[39m');
    expect(list.stdout).toContain('\u001b[31mrevoked\u001b[39m');
    expect(list.stdout).toContain('\u001b[1mID\u001b[22m');
    const failed = await onTerminal(['api-keys', 'get', 'key_x', '--base-url', server.url]);
    expect(failed.stdout).toContain('\u001b[31merror:\u001b[39m GET /api-keys/{id} failed with 404');
    const none = await onTerminal(['api-keys', 'list', '--base-url', server.url], { env: { NO_COLOR: '1' } });
    expect(none.stdout.replace(/\u001b\[\?25[lh]|\u001b\[[0-9]*[GK]/g, '')).not.toMatch(/\u001b\[[0-9;]*m/);
  });

  it('at 70 columns the table fits the terminal: no line wraps, long cells end in an ellipsis', async () => {
    const server = await serve((_req, res) =>
      json(res, 200, [apiKey('key_01HZX3K8W2Q9', { name: 'Deployment pipeline for the production cluster', permissions: ['messages:read', 'chats:read', 'files:write'] })]),
    );
    const run = await onTerminal(['api-keys', 'list', '--base-url', server.url], { columns: 70, env: { NO_COLOR: '1' } });
    const lines = plain(run.stdout).split('\n').filter((l) => l.startsWith('ID') || l.startsWith('key_'));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
    expect(lines[1]).toContain('…');
    expect(run.stdout).not.toContain('PERMISSI\nONS');
  });

  it('a spinner shows while waiting, and never with --json', async () => {
    // The answer waits until the spinner has shown (with --json, where none must, 300 ms).
    let shown = () => {};
    let wait = 10_000;
    const server = await serve(async (_req, res) => {
      await Promise.race([new Promise<void>((r) => (shown = r)), new Promise((r) => setTimeout(r, wait))]);
      json(res, 200, [apiKey('key_1')]);
    });
    const human = await onTerminal(['api-keys', 'list', '--base-url', server.url], {
      onOutput: (output) => output.includes('Fetching API keys') && shown(),
    });
    expect(human.code).toBe(0);
    expect(plain(human.raw)).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Fetching API keys/);
    expect(plain(human.stdout)).toMatch(/^ID +NAME.*\nkey_1 +Key key_1 +service/m); // the spinner is gone before the table
    wait = 300;
    const machine = await onTerminal(['api-keys', 'list', '--json', '--base-url', server.url]);
    expect(machine.raw).not.toMatch(/Fetching API keys/);
    expect(JSON.parse(machine.stdout)).toHaveLength(1);
  });
});
