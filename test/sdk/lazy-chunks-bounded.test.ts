// A chunk loaded on first use that stalls (a slow network, a fetch that never ends) while a call
// needs it: the call still ends at its deadline, or when its caller aborts, with the same typed
// error it gives otherwise, once. Before, the load was not raced against either: a stalled load
// delayed the error, and one that never settled hung the call for good. The SDK is imported
// afresh, after the mocks (test/support/offline-chunks.ts); a chunk that loaded stays loaded, so
// each case stalls another chunk.
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, redirectsToKey, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { offlineChunks, settledWithin } from '../support/offline-chunks.js';

let sdk: typeof import('../../src/index.js');
let support: typeof import('../support/client.js');
const offline = offlineChunks({ 'from-response': 'src/pipeline/from-response.ts', redirect: 'src/pipeline/redirect.ts' }, async () => {
  sdk = await import('../../src/index.js');
  support = await import('../support/client.js');
});

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a chunk load that stalls', () => {
  it('API errors: a 404 whose error cannot load ends at the deadline with APITimeoutError; nothing more is sent', async () => {
    const api = await startFaultServer((req, res) => apiError(res, 404, 'NOT_FOUND', 'no such key'));
    server = api;
    const coveton = support.testClient(api.url);
    const release = offline.stall('from-response');
    const { settled, ms } = await settledWithin(coveton.apiKeys.get('key_1', { deadline: 300 }));
    expect(settled).toBeInstanceOf(sdk.APITimeoutError);
    expect(settled).toMatchObject({ kind: 'deadline', ms: 300, message: 'Request exceeded its deadline of 300 ms across all attempts.' });
    expect(ms).toBeLessThan(1_500);
    expect(api.requests).toHaveLength(1);
    // The load that finishes later changes nothing for the call that ended; the next call gets its error.
    release();
    await expect(coveton.apiKeys.get('key_1')).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
    expect(api.requests).toHaveLength(2);
    expect(offline.loads.get('from-response')).toBe(1);
  });

  it("redirect rules: a redirected call whose rules cannot load ends with the caller's abort (APIUserAbortError, its reason as cause); nothing is followed", async () => {
    const api = await startFaultServer(redirectsToKey(support.apiKeyRecord));
    server = api;
    const coveton = support.testClient(api.url);
    offline.stall('redirect');
    const controller = new AbortController();
    setTimeout(() => controller.abort('user left'), 200);
    const { settled, ms } = await settledWithin(coveton.apiKeys.get('old', { signal: controller.signal }));
    expect(settled).toBeInstanceOf(sdk.APIUserAbortError);
    expect((settled as Error).cause).toBe('user left');
    expect(ms).toBeLessThan(1_500);
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/old']);
  });
});
