// `coveton contract --target`: a real Prism proxy in front of in-process upstreams
// (contract-support.ts). This file: a conforming upstream (no violation, exit 0), --param, and the
// usage and network errors found before Prism starts.
import { describe, expect, it } from 'vitest';
import { conforming, GETS, withUpstream } from './contract-support.js';
import { closedPort, runCli, runProgram, TEST_KEY, useBuiltCli } from './helpers.js';

useBuiltCli();

// Each run starts a Prism proxy, two at a time (withUpstream), with generous bounds, since a
// loaded machine slows each start.
describe.concurrent('coveton contract', { timeout: 90_000 }, () => {
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

  it('without an API key there is nothing safe left to check: a usage error, before starting Prism', async () => {
    const run = await runProgram(['contract', '--target', 'http://127.0.0.1:9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no operation left to check');
    const unknown = await runProgram(['contract', '--target', 'http://127.0.0.1:9', '--include', 'nope', '--api-key', TEST_KEY]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown operationId: nope');
  });
});
