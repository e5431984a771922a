// `coveton contract --target`: a real Prism proxy in front of in-process upstreams
// (contract-support.ts). This file: an upstream with planted violations (exit 4, each reported
// with its operation and status), and one that stops answering midway (exit 3).
import { describe, expect, it } from 'vitest';
import { drop, json, startFaultServer } from '../support/fault-server.js';
import { broken, conforming, PLANTED, withUpstream, type Report } from './contract-support.js';
import { runCli, TEST_KEY, useBuiltCli } from './helpers.js';

useBuiltCli();

// Each run starts a Prism proxy, two at a time (withUpstream), with generous bounds, since a
// loaded machine slows each start.
describe.concurrent('coveton contract', { timeout: 90_000 }, () => {
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

  it('a target that redirects to another origin: the key never goes there, and the 307 is graded as the target\'s answer (exit 4)', async () => {
    const other = await startFaultServer((_req, res) => json(res, 200, []));
    try {
      await withUpstream(
        (req, res) => {
          res.writeHead(307, { location: `${other.url}/elsewhere${req.path}` });
          res.end();
        },
        async (upstream) => {
          const run = await runCli(['contract', '--json', '--target', `${upstream.url}/v1`, '--include', 'listApiKeys'], { env: { COVETON_API_KEY: TEST_KEY }, timeoutMs: 80_000 });
          expect(other.requests).toHaveLength(0);
          expect(upstream.requests).toHaveLength(1);
          expect(upstream.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
          expect(run.code).toBe(4);
          const report = JSON.parse(run.stdout) as Report;
          expect(report.violations).toEqual([expect.objectContaining({ operationId: 'listApiKeys', status: 307 })]);
        },
      );
    } finally {
      await other.close();
    }
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
});
