// A new key's secret is shown once, and the key exists on the server whatever its answer lacks:
// so a secret that passes the check on its own reaches stdout (as text and in the --json body)
// before the contract error is reported, exit 1 (src/cli/commands/api-keys-run.ts `create`).
// Reporting first lost the secret for good when a server left out the null fields the spec
// requires (description, expiresAt), a review's repro; the hint then sent the user to
// `api-keys list`, which fails on such a server too. Run in process, against a scripted server.
import { describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

const SECRET = 'ak_test_abcdefghijklmnopqrstuvwxyz';
const CREATE = ['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox'];
const BROKE = "the server's answer breaks the API contract: apiKeys.create (POST /api-keys) answered 201 with a new key ";
const SHOWN = ' (the key was created and its secret printed on stdout, the only time it is shown: store it now)';

const without = (...names: string[]) => Object.fromEntries(Object.entries({ ...apiKey('key_a'), secret: SECRET }).filter(([name]) => !names.includes(name)));

const CASES = [
  ['null fields left out (description, expiresAt)', without('description', 'expiresAt'), 'missing the required fields description, expiresAt'],
  ['no id', without('id'), 'missing the required field id'],
  ['permissions not a list', { ...without(), permissions: 'messages:read' }, "with permissions (array of string) not of the spec's type"],
] as const;

describe('a new key whose answer breaks the contract but holds its secret', () => {
  it.each(CASES)('%s, as text: the secret on stdout, then the contract error, exit 1', async (_name, body, what) => {
    const server = await serve((_req, res) => json(res, 201, body));
    const run = await runProgram([...CREATE, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${SECRET}\n`);
    expect(run.stderr).toBe(`Created an API key, though the answer breaks the API contract (below). Its secret:\nerror: ${BROKE}${what}${SHOWN}\n`);
    expect(server.requests).toHaveLength(1);
  });

  it.each(CASES)('%s, with --json: the answer (secret included) on stdout, one JSON error on stderr, exit 1', async (_name, body, what) => {
    const server = await serve((_req, res) => json(res, 201, body));
    const run = await runProgram([...CREATE, '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(body);
    expect(JSON.parse(run.stderr)).toEqual({ error: { type: 'contract_error', message: `${BROKE}${what}${SHOWN}`, exitCode: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it('a secret that fails the check itself (empty) is no secret to show: the contract error only, nothing on stdout', async () => {
    const server = await serve((_req, res) => json(res, 201, { ...without('description'), secret: '' }));
    const run = await runProgram([...CREATE, '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr).error.message).toBe(
      `${BROKE}missing the required field description; with secret empty (the key may have been created: \`coveton api-keys list\` shows it)`,
    );
  });

  it('a complete answer: the secret, then the warning, exit 0', async () => {
    const server = await serve((_req, res) => json(res, 201, without()));
    const run = await runProgram([...CREATE, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${SECRET}\n`);
    expect(run.stderr).toMatch(/^Created API key key_a \(Key key_a, service, sandbox\)\. Its secret:\nwarning: this is the only time the secret is shown/);
  });
});
