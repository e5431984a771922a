// `coveton api-keys ...`, run in process (helpers.ts runProgram): against the suite's Prism mock
// for the spec's answers, and against scripted servers for what a static mock cannot show
// (pages, errors, hostile text). stdout is a pipe unless a test gives it a terminal width.
import { describe, expect, it } from 'vitest';
import { apiError, type FaultServer, json, serverFixture } from '../support/fault-server.js';
import { apiKey, plain, runProgram, TEST_KEY } from './helpers.js';
import { prismMock } from '../support/prism-mock.js';

const mock = prismMock();
const onMock = (args: string[], options: Parameters<typeof runProgram>[1] = {}) =>
  runProgram([...args, '--base-url', mock, '--api-key', TEST_KEY], options);
const on = (server: FaultServer, args: string[], options: Parameters<typeof runProgram>[1] = {}) =>
  runProgram([...args, '--base-url', server.url, '--api-key', TEST_KEY], options);

const { serve } = serverFixture();
let server: FaultServer | undefined;

const HEADER = 'ID                NAME         TYPE     ENV          STATUS   PERMISSIONS               LAST USED';

describe('api-keys list', () => {
  it('on a terminal: the spec example as an aligned table with the exact header row', async () => {
    const run = await onMock(['api-keys', 'list'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      HEADER,
      'key_01HZX3K8W2Q9  CI Pipeline  service  sandbox      active   messages:read,chats:read  2026-06-20T17:02:11Z',
      'key_01HZW1A4R7M2  Old laptop   user     development  revoked  *                         never',
      '',
    ]);
    expect(run.stderr).toBe(''); // no spinner or progress line: stderr is no terminal
  });

  it('in a pipe: tab-separated lines, no header, no padding', async () => {
    const run = await onMock(['api-keys', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'key_01HZX3K8W2Q9\tCI Pipeline\tservice\tsandbox\tactive\tmessages:read,chats:read\t2026-06-20T17:02:11Z\n' +
        'key_01HZW1A4R7M2\tOld laptop\tuser\tdevelopment\trevoked\t*\tnever\n',
    );
  });

  it('at 70 columns the table fits: cells are cut with an ellipsis, never wrapped, ids kept whole', async () => {
    server = await serve((_req, res) =>
      json(res, 200, [
        apiKey('key_01HZX3K8W2Q9', { name: 'Deployment pipeline for the production cluster', permissions: ['messages:read', 'chats:read', 'files:write'], lastUsedAt: '2026-06-20T17:02:11Z' }),
        apiKey('key_01HZW1A4R7M2', { name: 'Old laptop', status: 'revoked' }),
      ]),
    );
    const run = await on(server, ['api-keys', 'list'], { columns: 70 });
    expect(run.code).toBe(0);
    const lines = plain(run.stdout).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(70);
    expect(lines[0]).toMatch(/^ID {16}NAME/);
    expect(lines[0]).toContain('PERMIS…'); // a header word is cut too, never split across lines
    expect(lines[1]).toMatch(/^key_01HZX3K8W2Q9  Deploy\S*… /);
    expect(lines[1]).toContain('…');
    expect(lines[2]).toMatch(/^key_01HZW1A4R7M2  Old la…  /);
  });

  it('colours the status words and the header on a terminal, and honours NO_COLOR', async () => {
    const colour = await onMock(['api-keys', 'list'], { columns: 200 });
    expect(colour.stdout).toContain('\u001b[32mactive\u001b[39m');
    expect(colour.stdout).toContain('\u001b[31mrevoked\u001b[39m');
    expect(colour.stdout).toMatch(/^\u001b\[1mID/);
    expect(plain(colour.stdout).split('\n')[0]).toBe(HEADER);
    const none = await onMock(['api-keys', 'list'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(none.stdout).not.toContain('\u001b[');
    // FORCE_COLOR colours a pipe too (messages; the tab-separated cells stay plain for tools).
    const forced = await runProgram(['api-keys', 'list', '--limit', 'x'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m/);
    const off = await runProgram(['api-keys', 'list', '--limit', 'x'], { env: { FORCE_COLOR: '0' } });
    expect(off.stderr).toMatch(/^error:/);
  });

  it('--json prints the keys as one JSON array, byte for byte as before', async () => {
    const run = await onMock(['api-keys', 'list', '--json']);
    expect(run.code).toBe(0);
    const keys = JSON.parse(run.stdout);
    expect(run.stdout).toBe(`${JSON.stringify(keys, null, 2)}\n`);
    expect(keys.map((k: { id: string }) => k.id)).toEqual(['key_01HZX3K8W2Q9', 'key_01HZW1A4R7M2']);
  });

  it('follows every page: 120 keys with --page-size 50 are 3 requests, rows printed as they come', async () => {
    const all = Array.from({ length: 120 }, (_, i) => apiKey(`key_${String(120 - i).padStart(3, '0')}`));
    server = await serve((req, res) => {
      const url = new URL(req.path, 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const before = url.searchParams.get('before');
      const start = before ? all.findIndex((k) => k.id === before) + 1 : 0;
      json(res, 200, all.slice(start, start + limit));
    });
    const run = await on(server, ['api-keys', 'list', '--page-size', '50'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys?limit=50', '/api-keys?limit=50&before=key_071', '/api-keys?limit=50&before=key_021']);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(121); // one header
    expect(lines.filter((l) => l.startsWith('ID '))).toHaveLength(1);
    expect(lines[1]).toMatch(/^key_120 /);
    expect(lines[120]).toMatch(/^key_001 /);
    const asJson = await on(server, ['api-keys', 'list', '--page-size', '50', '--json']);
    expect(JSON.parse(asJson.stdout)).toHaveLength(120);
  });

  it('--limit stops after N keys and asks for no more than it needs', async () => {
    const all = Array.from({ length: 30 }, (_, i) => apiKey(`key_${String(30 - i).padStart(3, '0')}`));
    server = await serve((req, res) => {
      const url = new URL(req.path, 'http://x');
      const before = url.searchParams.get('before');
      const start = before ? all.findIndex((k) => k.id === before) + 1 : 0;
      json(res, 200, all.slice(start, start + Number(url.searchParams.get('limit'))));
    });
    const run = await on(server, ['api-keys', 'list', '--limit', '12', '--page-size', '5']);
    expect(run.stdout.trim().split('\n')).toHaveLength(12);
    expect(server.requests.map((r) => r.path)).toEqual(['/api-keys?limit=5', '/api-keys?limit=5&before=key_026', '/api-keys?limit=5&before=key_021']);
    const small = await on(server, ['api-keys', 'list', '--limit', '3', '--json']);
    expect(JSON.parse(small.stdout).map((k: { id: string }) => k.id)).toEqual(['key_030', 'key_029', 'key_028']);
    expect(server.requests.at(-1)!.path).toBe('/api-keys?limit=3');
    expect((await runProgram(['api-keys', 'list', '--limit', '0'])).code).toBe(2);
  });

  it('stops on a cursor that does not advance: rows so far stay printed, the JSON array is closed, exit 1', async () => {
    // A server that ignores `before`: the same full page forever.
    server = await serve((_req, res) => json(res, 200, [apiKey('key_b'), apiKey('key_a')]));
    const run = await on(server, ['api-keys', 'list', '--page-size', '2', '--json']);
    expect(run.code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(JSON.parse(run.stdout).map((k: { id: string }) => k.id)).toEqual(['key_b', 'key_a']);
    expect(run.stderr).toContain("stopped after 2 keys: the server's answer breaks the API contract: apiKeys.list: pages do not advance: page 2 holds an id already sent as a cursor");
  });

  it('sends the filters as the query and says so on stderr when nothing matches', async () => {
    server = await serve((_req, res) => json(res, 200, []));
    const run = await on(server, [
      'api-keys', 'list', '--status', 'suspended', '--environment', 'production', '--type', 'user',
      '--filter', 'ci bot', '--order-by', '-lastUsedAt', '--page-size', '10',
    ]);
    expect(run.code).toBe(0);
    const query = new URL(server.requests[0]!.path, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ limit: '10', status: 'suspended', environment: 'production', type: 'user', filter: 'ci bot', orderBy: '-lastUsedAt' });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('No API keys found.\n');
    expect((await on(server, ['api-keys', 'list', '--json'])).stdout).toBe('[]\n');
  });

  it('strips terminal escape sequences from server text in rows', async () => {
    server = await serve((_req, res) => json(res, 200, [apiKey('key_1', { name: 'evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mred' })]));
    const run = await on(server, ['api-keys', 'list'], { columns: 200, env: { NO_COLOR: '1' } });
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u0007');
    expect(run.stdout).toContain('evilred');
  });
});

describe('api-keys get', () => {
  it('shows one key with the columns of list, and --json', async () => {
    const run = await onMock(['api-keys', 'get', 'key_01HZX3K8W2Q9'], { columns: 200 });
    expect(run.code).toBe(0);
    const lines = plain(run.stdout).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID {16}NAME {9}TYPE {5}ENV {6}STATUS  PERMISSIONS +LAST USED$/);
    expect(lines[1]).toMatch(/^key_01HZX3K8W2Q9  CI Pipeline  service  sandbox  active/);
    const piped = await onMock(['api-keys', 'get', 'key_01HZX3K8W2Q9']);
    expect(piped.stdout.split('\t')[0]).toBe('key_01HZX3K8W2Q9');
    const asJson = await onMock(['api-keys', 'get', 'key_01HZX3K8W2Q9', '--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ id: 'key_01HZX3K8W2Q9', name: 'CI Pipeline', status: 'active' });
  });

  it('a 404 is an API error (exit 1)', async () => {
    server = await serve((_req, res) => apiError(res, 404, 'NOT_FOUND', 'No such API key.'));
    const run = await on(server, ['api-keys', 'get', 'key_nope']);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/api-keys/key_nope' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: GET /api-keys/{id} failed with 404 NOT_FOUND: No such API key. (request id req_404)\n');
  });
});

describe('api-keys create', () => {
  it('prints the secret once on stdout, with the warning on stderr', async () => {
    const run = await onMock(['api-keys', 'create', '--name', 'CI Pipeline', '--type', 'service', '--environment', 'sandbox']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('ak_test_Mdi9ewW3Ch81P6abc123def456\n');
    expect(run.stderr).toContain('Created API key key_01HZX3K8W2Q9 (CI Pipeline, service, sandbox)');
    expect(run.stderr).toMatch(/warning: .*only time the secret is shown.*will not be shown again/);
    expect((run.stdout + run.stderr).split('ak_test_Mdi9ewW3Ch81P6abc123def456')).toHaveLength(2);
  });

  it('--json prints the created key with its secret; the warning stays on stderr', async () => {
    const run = await onMock(['api-keys', 'create', '--name', 'CI', '--type', 'service', '--environment', 'sandbox', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 'key_01HZX3K8W2Q9', secret: 'ak_test_Mdi9ewW3Ch81P6abc123def456' });
    expect(run.stderr).toMatch(/will not be shown again/);
  });

  it('sends every option in the body, with an Idempotency-Key', async () => {
    server = await serve((_req, res) => json(res, 201, { ...apiKey('key_new'), secret: 'ak_live_NEWsecretNEWsecretNEWsecret' }));
    const run = await on(server, [
      'api-keys', 'create', '--name', 'Deploy', '--type', 'user', '--environment', 'production', '--description', 'for deploys',
      '--permissions', 'messages:read, chats:write', '--allowed-ips', '10.0.0.0/24,192.168.1.1', '--expires-at', '2027-01-01T00:00:00Z',
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
    const run = await onMock(['api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'sandbox', '--permissions', 'messages:raed']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a scope: messages:raed');
    expect(run.stderr).toContain("Run 'coveton api-keys create --help' for usage.");
  });

  it('explains a 403 by its reason', async () => {
    server = await serve((_req, res) => apiError(res, 403, 'FORBIDDEN', 'Production keys need an enterprise plan.', { reason: 'enterprise_required' }));
    const run = await on(server, ['api-keys', 'create', '--name', 'x', '--type', 'service', '--environment', 'production']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('POST /api-keys failed with 403 FORBIDDEN: creating production keys over the API needs an enterprise plan');
    expect(run.stderr).toContain('request id req_403');
  });
});

describe('api-keys update', () => {
  it('changes the status with a reason', async () => {
    const run = await onMock(['api-keys', 'update', 'key_01HZX3K8W2Q9', '--status', 'revoked', '--reason', 'Key compromised']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('API key key_01HZX3K8W2Q9 is now revoked (reason: Key compromised).\n');
    const asJson = await onMock(['api-keys', 'update', 'key_01HZX3K8W2Q9', '--status', 'revoked', '--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ id: 'key_01HZX3K8W2Q9', status: 'revoked' });
  });

  it('sends PATCH with the status and reason; a 409 is an API error (exit 1) with the server message', async () => {
    server = await serve((_req, res) => apiError(res, 409, 'CONFLICT', 'A revoked key cannot be reactivated.'));
    const run = await on(server, ['api-keys', 'update', 'key_1', '--status', 'active', '--reason', 'oops']);
    expect(server.requests[0]).toMatchObject({ method: 'PATCH', path: '/api-keys/key_1' });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ status: 'active', reason: 'oops' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: PATCH /api-keys/{id} failed with 409 CONFLICT: A revoked key cannot be reactivated. (request id req_409)\n');
  });

  it('strips terminal escape sequences from statusReason and from error messages', async () => {
    server = await serve((req, res) =>
      req.method === 'PATCH' && req.path.endsWith('key_1')
        ? json(res, 200, apiKey('key_1', { status: 'suspended', statusReason: 'by \u001b[2J\u001b]8;;http://evil.example\u0007admin' }))
        : apiError(res, 409, 'CONFLICT', 'No\u001b[1A\u001b[2K way\u009b31m.'),
    );
    const ok = await on(server, ['api-keys', 'update', 'key_1', '--status', 'suspended']);
    expect(ok.stdout).toBe('API key key_1 is now suspended (reason: by admin).\n');
    const refused = await on(server, ['api-keys', 'update', 'key_2', '--status', 'active']);
    expect(refused.stderr).not.toMatch(/[\u001b\u009b]/);
    expect(refused.stderr).toContain('failed with 409 CONFLICT: No way');
  });
});

describe('api-keys delete', () => {
  it('deletes with --yes', async () => {
    const run = await onMock(['api-keys', 'delete', 'key_01HZX3K8W2Q9', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Deleted API key key_01HZX3K8W2Q9.\n');
    const asJson = await onMock(['api-keys', 'delete', 'key_01HZX3K8W2Q9', '-y', '--json']);
    expect(JSON.parse(asJson.stdout)).toEqual({ id: 'key_01HZX3K8W2Q9', deleted: true });
  });

  it('refuses without --yes when not on a terminal, as a usage error, and sends nothing', async () => {
    server = await serve((_req, res) => json(res, 204, undefined));
    const run = await on(server, ['api-keys', 'delete', 'key_1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refusing to delete key_1 without confirmation');
    expect(run.stderr).toContain('--yes');
    expect(server.requests).toHaveLength(0);
  });
});
