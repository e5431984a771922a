// Every timer goes through the one clamp (src/util/timers.ts): setTimeout fires at once for a
// delay above 2^31-1 ms, so a long `timeout`, `deadline` or Retry-After wait used to end every
// call within milliseconds with APITimeoutError (and a TimeoutOverflowWarning).
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyRecord, testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

function watchWarnings() {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  return { warnings, stop: () => process.off('warning', onWarning) };
}

describe('timers past 2^31-1 ms', () => {
  for (const [name, options] of [
    ['timeout 2^31+1000', { timeout: 2 ** 31 + 1000 }],
    ['timeout 3e9', { timeout: 3_000_000_000 }],
    ['deadline 3e9', { timeout: 4_000_000_000, deadline: 3_000_000_000 }],
  ] as const) {
    it(`${name}: a call that takes 100 ms succeeds, and no timer overflows`, async () => {
      server = await startFaultServer(async (req, res) => {
        await new Promise((r) => setTimeout(r, 100));
        json(res, 200, apiKeyRecord);
      });
      const watch = watchWarnings();
      try {
        await expect(testClient(server.url, options).apiKeys.get('key_1')).resolves.toMatchObject({ id: apiKeyRecord.id });
        await new Promise((r) => setTimeout(r, 10));
        expect(watch.warnings).not.toContain('TimeoutOverflowWarning');
      } finally {
        watch.stop();
      }
    });
  }

  it('a per-call timeout of 3e9 ms is as good as the client option', async () => {
    server = await startFaultServer(async (req, res) => {
      await new Promise((r) => setTimeout(r, 100));
      json(res, 200, apiKeyRecord);
    });
    await expect(testClient(server.url).apiKeys.get('key_1', { timeout: 3_000_000_000 })).resolves.toMatchObject({ id: apiKeyRecord.id });
  });

  it('a Retry-After of 2.5e9 ms under a maxRetryAfter of 3e9 ms is waited, not cut to nothing', async () => {
    server = await startFaultServer((req, res) => apiError(res, 503, 'INTERNAL', 'busy', {}, { 'Retry-After-Ms': '2500000000' }));
    const controller = new AbortController();
    const call = testClient(server.url, { maxRetryAfter: 3_000_000_000 }).apiKeys.get('key_1', { signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.requests).toHaveLength(1); // still waiting, not resent at once
    controller.abort();
    expect(((await call) as Error).name).toBe('APIUserAbortError');
  });
});
