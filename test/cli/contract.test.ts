// `coveton contract --target`: a real Prism proxy in front of in-process upstreams. One serves
// the spec's own examples (conforming: no violation, exit 0); the other plants distinct
// violations (exit 4, each one reported with its operation and status).
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { drop, json, startFaultServer, type FaultServer, type Recorded } from '../support/fault-server.js';
import { deref, firstExample, specOperations, type Json } from '../support/spec.js';
import { closedPort, runCli, runProgram, TEST_KEY, useBuiltCli } from './helpers.js';

useBuiltCli();

const GETS = specOperations()
  .filter((o) => o.method === 'GET')
  .map((o) => ({ ...o, pattern: new RegExp(`^/v1${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
  .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));

/** The spec's own answer to a GET: its success status and first example. */
function exampleAnswer(path: string): { operationId: string; status: number; body: Json } | undefined {
  const op = GETS.find((o) => o.pattern.test(path));
  if (!op) return undefined;
  const response = deref(op.op.responses[op.successStatus], '').node;
  return { operationId: op.operationId, status: Number(op.successStatus), body: firstExample(response?.content?.['application/json']) };
}

function conforming(req: Recorded, res: ServerResponse) {
  const answer = exampleAnswer(req.path.split('?')[0]!);
  if (!answer) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'No such path.' } });
  json(res, answer.status, answer.body);
}

/** The planted violations, by operation: what the report must name. */
const PLANTED = {
  getApiKey: 'missing required field keyPrefix',
  listApiKeys: 'createdAt is not a date-time',
  testAuth: 'msg is a number',
  listPermissions: 'undocumented status 418',
  getSubscription: 'body is not JSON',
};

function broken(req: Recorded, res: ServerResponse) {
  const answer = exampleAnswer(req.path.split('?')[0]!);
  switch (answer?.operationId) {
    case 'getApiKey': {
      const { keyPrefix: _dropped, ...rest } = answer.body;
      return json(res, 200, rest);
    }
    case 'listApiKeys':
      return json(res, 200, answer.body.map((k: Json, i: number) => (i === 0 ? { ...k, createdAt: 'yesterday' } : k)));
    case 'testAuth':
      return json(res, 200, { msg: 123 });
    case 'listPermissions':
      return json(res, 418, { teapot: true });
    case 'getSubscription':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"plan": ');
    default:
      return conforming(req, res);
  }
}

/** Runs `test` with its own upstream, closed afterwards. */
async function withUpstream(handler: typeof conforming, test: (upstream: FaultServer) => Promise<void>) {
  const upstream = await startFaultServer(handler);
  try {
    await test(upstream);
  } finally {
    await upstream.close();
  }
}

interface Report {
  ok: boolean;
  summary: { checked: number; conforming: number; withViolations: number; violations: number; unreachable: number; skipped: number };
  violations: { operationId: string; status: number | null; location: string; message: string }[];
  skipped: { operationId: string }[];
}

// Each run starts a Prism proxy: one at a time (five starting at once on two busy cores outlast
// Prism's start-up bound), with generous bounds, since a loaded machine slows each start.
describe('coveton contract', { timeout: 90_000 }, () => {
  it('a conforming upstream (the spec examples): no violation, exit 0, the key forwarded and never shown', () =>
    withUpstream(conforming, async (upstream) => {
      const run = await runCli(['contract', '--target', `${upstream.url}/v1`, '--api-key', TEST_KEY], { timeoutMs: 80_000 });
      expect(run.stderr).not.toContain('error');
      expect(run.code).toBe(0);
      const checked = GETS.length - 3; // the two OAuth redirects and the OAuth callback are not safe to call
      expect(run.stdout).toBe(`OK: ${checked} operations checked, ${checked} conform, 0 with violations (0 violations), 0 unreachable, 3 skipped.\n`);
      expect(upstream.requests).toHaveLength(checked);
      expect(upstream.requests.every((r) => r.method === 'GET' && r.headers.authorization === `Bearer ${TEST_KEY}`)).toBe(true);
      expect(run.stdout + run.stderr).not.toContain(TEST_KEY);
    }));

  it('a broken upstream: every planted violation reported with its operation and status, exit 4 (--json)', () =>
    withUpstream(broken, async (upstream) => {
      const run = await runCli(['contract', '--json', '--target', `${upstream.url}/v1`], { env: { COVETON_API_KEY: TEST_KEY }, timeoutMs: 80_000 });
      expect(run.code).toBe(4);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.ok).toBe(false);
      expect(new Set(report.violations.map((v) => v.operationId))).toEqual(new Set(Object.keys(PLANTED)));
      const find = (id: string) => report.violations.filter((v) => v.operationId === id);
      expect(find('getApiKey')).toEqual([
        expect.objectContaining({ status: 200, location: 'response.body', message: "Response body must have required property 'keyPrefix'" }),
      ]);
      expect(find('listApiKeys')).toEqual([
        expect.objectContaining({ status: 200, location: 'response.body.0.createdAt', message: expect.stringContaining('must match format "date-time"') }),
      ]);
      expect(find('testAuth')).toContainEqual(expect.objectContaining({ status: 200, location: 'response.body.msg', message: expect.stringContaining('must be string') }));
      expect(find('listPermissions')).toEqual([
        expect.objectContaining({ status: 418, location: 'response', message: expect.stringContaining('418 is not documented') }),
      ]);
      expect(find('getSubscription')).toEqual([expect.objectContaining({ status: null, message: 'the response body is not valid JSON' })]);
      expect(report.summary).toMatchObject({ withViolations: 5, unreachable: 0, skipped: 3 });
      expect(report.summary.conforming).toBe(report.summary.checked - 5);
    }));

  it('a broken upstream, for people: one row per violation (operation, request, status, where, what), then the summary (in a pipe: tab-separated)', () =>
    withUpstream(broken, async (upstream) => {
      const run = await runCli(['contract', '--target', `${upstream.url}/v1`, '--api-key', TEST_KEY, '--include', 'getApiKey,listPermissions,listChats'], {
        timeoutMs: 80_000,
      });
      expect(run.code).toBe(4);
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]).toBe("getApiKey\tGET /api-keys/key_01HZX3K8W2Q9\t200\tresponse.body\tResponse body must have required property 'keyPrefix'");
      expect(lines[1]).toMatch(/^listPermissions\tGET \/permissions\t418\tresponse\tstatus 418 is not documented/);
      expect(lines[2]).toBe('FAILED: 3 operations checked, 1 conform, 2 with violations (2 violations), 0 unreachable, 3 skipped.');
      expect(upstream.requests.map((r) => r.path.split('?')[0]).sort()).toEqual(['/v1/api-keys/key_01HZX3K8W2Q9', '/v1/chats', '/v1/permissions']);
    }));

  it('--param puts real ids in the paths: name=value for every operation, operationId.name=value for one', () =>
    withUpstream(conforming, async (upstream) => {
      const run = await runCli(
        ['contract', '--target', `${upstream.url}/v1`, '--api-key', TEST_KEY, '--include', 'getApiKey,getChat,getTeam',
          '--param', 'id=key_REAL1', '--param', 'getChat.id=chat_REAL2', '--param', 'getTeam.id=team_REAL3'],
        { timeoutMs: 80_000 },
      );
      expect(run.code).toBe(0);
      expect(upstream.requests.map((r) => r.path.split('?')[0]).sort()).toEqual(['/v1/api-keys/key_REAL1', '/v1/chats/chat_REAL2', '/v1/teams/team_REAL3']);
      const bad = await runCli(['contract', '--target', `${upstream.url}/v1`, '--param', 'novalue'], { timeoutMs: 20_000 });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('must be name=value');
    }));

  it('an unreachable target is a network error (exit 3), found before starting Prism', async () => {
    const port = await closedPort();
    const run = await runProgram(['contract', '--target', `http://127.0.0.1:${port}/v1`, '--api-key', TEST_KEY]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`error: could not reach http://127.0.0.1:${port}/v1: connection refused: nothing is listening there (ECONNREFUSED)\n`);
  });

  it('a target that stops answering midway: the calls it missed are reported as unreachable (exit 3)', () =>
    withUpstream(
      (req, res) => (req.path.startsWith('/v1/chats') ? drop(res) : conforming(req, res)),
      async (upstream) => {
        const run = await runCli(['contract', '--json', '--target', `${upstream.url}/v1`, '--api-key', TEST_KEY, '--include', 'listChats,testAuth'], { timeoutMs: 80_000 });
        expect(run.code).toBe(3);
        const report = JSON.parse(run.stdout) as Report & { results: { operationId: string; outcome: string; note?: string }[] };
        expect(report.results).toEqual([
          { operationId: 'testAuth', method: 'GET', path: '/utils/authtest', status: 200, outcome: 'conforms' },
          expect.objectContaining({ operationId: 'listChats', status: null, outcome: 'unreachable', note: expect.stringContaining('socket hang up') }),
        ]);
      },
    ));

  it('without an API key there is nothing safe left to check: a usage error, before starting Prism', async () => {
    const run = await runProgram(['contract', '--target', 'http://127.0.0.1:9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no operation left to check');
    const unknown = await runProgram(['contract', '--target', 'http://127.0.0.1:9', '--include', 'nope', '--api-key', TEST_KEY]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown operationId: nope');
  });
});
