// `coveton api-keys ...` as a child process: against the suite's Prism mock for the spec's
// answers, and against scripted servers for what a static mock cannot show (pages, errors).
import { afterEach, describe, expect, inject, it } from 'vitest';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKey, runCli, TEST_KEY, useBuiltCli } from './helpers.js';

useBuiltCli();

const mock = inject('mockUrl');
const onMock = (...args: string[]) => runCli([...args, '--base-url', mock, '--api-key', TEST_KEY]);

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const HEADER = 'ID                NAME         TYPE     ENV          STATUS   PERMISSIONS               LAST USED';

/** Where each column starts in the header row. */
function columnStarts(header: string): number[] {
  return ['ID', 'NAME', 'TYPE', 'ENV', 'STATUS', 'PERMISSIONS', 'LAST USED'].map((h) => header.indexOf(h));
}

describe('api-keys list', () => {
  it('prints the spec example as an aligned table with the exact header row', async () => {
    const run = await onMock('api-keys', 'list');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      HEADER,
      'key_01HZX3K8W2Q9  CI Pipeline  service  sandbox      active   messages:read,chats:read  2026-06-20T17:02:11Z',
      'key_01HZW1A4R7M2  Old laptop   user     development  revoked  *                         never',
      '',
    ]);
    const starts = columnStarts(HEADER);
    for (const row of run.stdout.trim().split('\n').slice(1)) {
      for (const start of starts.slice(1)) expect(row[start - 1], `a space before column ${start} in "${row}"`).toBe(' ');
      for (const start of starts) expect(row[start]).not.toBe(' ');
    }
    expect(run.stderr).toBe(''); // no spinner or progress line off a terminal
  });

  it('--json prints the keys as one JSON array', async () => {
    const run = await onMock('api-keys', 'list', '--json');
    expect(run.code).toBe(0);
    const keys = JSON.parse(run.stdout);
    expect(keys.map((k: { id: string }) => k.id)).toEqual(['key_01HZX3K8W2Q9', 'key_01HZW1A4R7M2']);
    expect(keys[0]).toMatchObject({ name: 'CI Pipeline', status: 'active', permissions: ['messages:read', 'chats:read'] });
  });

  it('follows every page: 120 keys with --page-size 50 are 3 requests, each before = the oldest id seen', async () => {
    const all = Array.from({ length: 120 }, (_, i) => apiKey(`key_${String(120 - i).padStart(3, '0')}`));
    server = await startFaultServer((req, res) => {
      const url = new URL(req.path, 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const before = url.searchParams.get('before');
      const start = before ? all.findIndex((k) => k.id === before) + 1 : 0;
      json(res, 200, all.slice(start, start + limit));
    });
    const run = await runCli(['api-keys', 'list', '--page-size', '50', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/api-keys?limit=50',
      '/api-keys?limit=50&before=key_071',
      '/api-keys?limit=50&before=key_021',
    ]);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(121);
    expect(lines[1]).toMatch(/^key_120 /);
    expect(lines[120]).toMatch(/^key_001 /);
  });

  it('sends the filters as the query and says so on stderr when nothing matches', async () => {
    server = await startFaultServer((_req, res) => json(res, 200, []));
    const run = await runCli([
      'api-keys', 'list', '--status', 'suspended', '--environment', 'production', '--type', 'user',
      '--filter', 'ci bot', '--order-by', '-lastUsedAt', '--page-size', '10', '--base-url', server.url, '--api-key', TEST_KEY,
    ]);
    expect(run.code).toBe(0);
    const query = new URL(server.requests[0]!.path, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      limit: '10', status: 'suspended', environment: 'production', type: 'user', filter: 'ci bot', orderBy: '-lastUsedAt',
    });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('No API keys found.\n');
  });
});

describe('api-keys create', () => {
  it('prints the secret once on stdout, with the warning on stderr', async () => {
    const run = await onMock('api-keys', 'create', '--name', 'CI Pipeline', '--type', 'service', '--environment', 'sandbox');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('ak_test_Mdi9ewW3Ch81P6abc123def456\n');
    expect(run.stderr).toContain('Created API key key_01HZX3K8W2Q9 (CI Pipeline, service, sandbox)');
    expect(run.stderr).toMatch(/warning: .*only time the secret is shown.*will not be shown again/);
    expect((run.stdout + run.stderr).split('ak_test_Mdi9ewW3Ch81P6abc123def456')).toHaveLength(2);
  });

  it('--json prints the created key with its secret; the warning stays on stderr', async () => {
    const run = await onMock('api-keys', 'create', '--name', 'CI', '--type', 'service', '--environment', 'sandbox', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 'key_01HZX3K8W2Q9', secret: 'ak_test_Mdi9ewW3Ch81P6abc123def456' });
    expect(run.stderr).toMatch(/will not be shown again/);
  });

  it('sends every option in the body, with an Idempotency-Key', async () => {
    server = await startFaultServer((_req, res) => json(res, 201, { ...apiKey('key_new'), secret: 'ak_live_NEWsecretNEWsecretNEWsecret' }));
    const run = await runCli([
      'api-keys', 'create', '--name', 'Deploy', '--type', 'user', '--environment', 'production', '--description', 'for deploys',
      '--permissions', 'messages:read, chats:write', '--allowed-ips', '10.0.0.0/24,192.168.1.1', '--expires-at', '2027-01-01T00:00:00Z',
      '--base-url', server.url, '--api-key', TEST_KEY,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('ak_live_NEWsecretNEWsecretNEWsecret\n');
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(JSON.parse(req.body)).toEqual({
      name: 'Deploy', type: 'user', environment: 'production', description: 'for deploys',
      permissions: ['messages:read', 'chats:write'], allowedIps: ['10.0.0.0/24', '192.168.1.1'], expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(req.headers['idempotency-key']).toMatch(/\S{8,}/);
  });

  it('rejects a scope that is not one, before sending anything (usage error)', async () => {
    const run = await onMock('api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'sandbox', '--permissions', 'messages:raed');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a scope: messages:raed');
  });

  it('explains a 403 by its reason', async () => {
    server = await startFaultServer((_req, res) =>
      apiError(res, 403, 'FORBIDDEN', 'Production keys need an enterprise plan.', { reason: 'enterprise_required' }),
    );
    const run = await runCli(['api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'production', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('POST /api-keys failed with 403 FORBIDDEN: creating production keys over the API needs an enterprise plan');
    expect(run.stderr).toContain('request id req_403');
  });
});

describe('api-keys update', () => {
  it('changes the status with a reason', async () => {
    const run = await onMock('api-keys', 'update', 'key_01HZX3K8W2Q9', '--status', 'revoked', '--reason', 'Key compromised');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('API key key_01HZX3K8W2Q9 is now revoked (reason: Key compromised).\n');
    const asJson = await onMock('api-keys', 'update', 'key_01HZX3K8W2Q9', '--status', 'revoked', '--json');
    expect(JSON.parse(asJson.stdout)).toMatchObject({ id: 'key_01HZX3K8W2Q9', status: 'revoked' });
  });

  it('sends PATCH with the status and reason; a 409 is an API error (exit 1) with the server message', async () => {
    server = await startFaultServer((_req, res) => apiError(res, 409, 'CONFLICT', 'A revoked key cannot be reactivated.'));
    const run = await runCli(['api-keys', 'update', 'key_1', '--status', 'active', '--reason', 'oops', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(server.requests[0]).toMatchObject({ method: 'PATCH', path: '/api-keys/key_1' });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ status: 'active', reason: 'oops' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: PATCH /api-keys/{id} failed with 409 CONFLICT: A revoked key cannot be reactivated. (request id req_409)\n');
  });
});

describe('api-keys delete', () => {
  it('deletes with --yes', async () => {
    const run = await onMock('api-keys', 'delete', 'key_01HZX3K8W2Q9', '--yes');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Deleted API key key_01HZX3K8W2Q9.\n');
    const asJson = await onMock('api-keys', 'delete', 'key_01HZX3K8W2Q9', '-y', '--json');
    expect(JSON.parse(asJson.stdout)).toEqual({ id: 'key_01HZX3K8W2Q9', deleted: true });
  });

  it('refuses without --yes when not on a terminal, as a usage error, and sends nothing', async () => {
    server = await startFaultServer((_req, res) => json(res, 204, undefined));
    const run = await runCli(['api-keys', 'delete', 'key_1', '--base-url', server.url, '--api-key', TEST_KEY], { input: 'y\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refusing to delete key_1 without confirmation');
    expect(run.stderr).toContain('--yes');
    expect(server.requests).toHaveLength(0);
  });
});
