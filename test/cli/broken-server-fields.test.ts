// A server whose keys lack fields the spec requires (no `id`, a new key without its `secret`):
// every api-keys command that prints a key says so with exit 1, --json included, as any other
// answer outside the contract (broken-server.test.ts). --json passed such an answer on with exit
// 0, and a partner's CI failed later on what it parsed. One check decides (src/cli/answer-check.ts,
// from the bundled spec's required fields). Run in process, against a scripted server.
import { describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, runProgram, TEST_KEY } from './helpers.js';

const { serve } = serverFixture();

const BROKE = "the server's answer breaks the API contract: ";
const withoutId = () => {
  const { id: _id, ...rest } = apiKey('key_a');
  return rest;
};
const CREATED_HINT = ' (the key may have been created: `coveton api-keys list` shows it)';

const CASES = [
  ['create without secret', ['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox'], 201,
    apiKey('key_a'),
    `apiKeys.create (POST /api-keys) answered 201 with a new key missing the required field secret${CREATED_HINT}`],
  ['create with neither', ['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox'], 201,
    withoutId(),
    `apiKeys.create (POST /api-keys) answered 201 with a new key missing the required fields id, secret${CREATED_HINT}`],
  ['update without id', ['api-keys', 'update', 'key_a', '--status', 'suspended'], 200,
    withoutId(),
    'apiKeys.update (PATCH /api-keys/{id}) answered 200 with a key missing the required field id (the change may have been applied)'],
  ['get without id', ['api-keys', 'get', 'key_a'], 200,
    withoutId(),
    'apiKeys.get (GET /api-keys/{id}) answered 200 with a key missing the required field id'],
  ['list without id', ['api-keys', 'list'], 200,
    [apiKey('key_b'), withoutId()],
    'apiKeys.list (GET /api-keys) answered 200 with a key (item 2 of its page) missing the required field id'],
  ['get with permissions not a list', ['api-keys', 'get', 'key_a'], 200,
    apiKey('key_a', { permissions: 'messages:read' }),
    "apiKeys.get (GET /api-keys/{id}) answered 200 with a key with permissions (array of string) not of the spec's type"],
] as const;

describe('keys lacking required fields', () => {
  it.each(CASES)('%s, with --json: exit 1, contract_error naming the field, nothing on stdout', async (_name, args, status, body, what) => {
    const server = await serve((_req, res) => json(res, status, body));
    const run = await runProgram([...args, '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: { type: 'contract_error', message: `${BROKE}${what}`, exitCode: 1 } });
    expect(server.requests).toHaveLength(1);
  });

  it.each(CASES)('%s, as text: exit 1, the same words', async (_name, args, status, body, what) => {
    const server = await serve((_req, res) => json(res, status, body));
    const run = await runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: ${BROKE}${what}\n`);
    expect(run.stdout + run.stderr).not.toContain('undefined');
    expect(server.requests).toHaveLength(1);
  });

  it('list --json: a bad key on page 2 stops there; page 1 stays printed, as valid JSON', async () => {
    const server = await serve((req, res) =>
      // The bad key first: a full page whose last key has no id is the SDK's to refuse (no cursor).
      json(res, 200, req.path.includes('before=') ? [withoutId(), apiKey('key_b')] : [apiKey('key_d'), apiKey('key_c')]),
    );
    const run = await runProgram(['api-keys', 'list', '--page-size', '2', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((k: { id: string }) => k.id)).toEqual(['key_d', 'key_c']);
    expect(JSON.parse(run.stderr).error).toMatchObject({
      type: 'contract_error',
      message: `${BROKE}apiKeys.list (GET /api-keys) answered 200 with a key (item 1 of its page) missing the required field id`,
    });
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys?limit=2', '/api-keys?limit=2&before=key_c']);
  });

  it('list --json: a full page whose last key has no id (the SDK refuses it: no cursor) is a contract error too, not "pages did not advance"', async () => {
    const server = await serve((req, res) =>
      json(res, 200, req.path.includes('before=') ? [apiKey('key_b'), withoutId()] : [apiKey('key_d'), apiKey('key_c')]),
    );
    const run = await runProgram(['api-keys', 'list', '--page-size', '2', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).map((k: { id: string }) => k.id)).toEqual(['key_d', 'key_c']);
    expect(JSON.parse(run.stderr)).toEqual({
      error: { type: 'contract_error', message: `stopped after 2 keys: ${BROKE}apiKeys.list: a full page ends with an item without an id`, exitCode: 1 },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('a complete key passes, with --json as without', async () => {
    const server = await serve((_req, res) => json(res, 200, apiKey('key_a')));
    const run = await runProgram(['api-keys', 'get', 'key_a', '--json', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(apiKey('key_a'));
  });
});
