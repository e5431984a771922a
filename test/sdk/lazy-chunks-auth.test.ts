// A CovetonError that an authenticator throws is redacted by the API errors' builder
// (src/pipeline/from-response.ts scrub), loaded for it on first use. When that chunk does not
// load, the call fails as any call whose part did not load: ChunkLoadError('API errors'), the
// thrown error not shown, nothing sent; once it loads, the thrown error goes on redacted. The SDK
// is imported afresh, after the mocks (test/support/offline-chunks.ts).
import { afterAll, expect, it } from 'vitest';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { offlineChunks } from '../support/offline-chunks.js';

let sdk: typeof import('../../src/index.js');
let support: typeof import('../support/client.js');
const offline = offlineChunks({ 'from-response': 'src/pipeline/from-response.ts' }, async () => {
  sdk = await import('../../src/index.js');
  support = await import('../support/client.js');
});

let api: FaultServer | undefined;
afterAll(() => api?.close());
const SECRET = 'vault-secret-0123456789abcdef';

it("an authenticator's CovetonError while the API errors' builder does not load: ChunkLoadError('API errors'), nothing sent; then redacted", async () => {
  api = await startFaultServer((_req, res) => json(res, 200, support.apiKeyRecord));
  const coveton = support.createCoveton({
    baseUrl: api.url,
    logLevel: 'off',
    auth: { authenticate: () => { throw new sdk.CovetonError(`vault refused ${SECRET}`); }, secrets: () => [SECRET] },
  });
  offline.fail.add('from-response');
  const first = await coveton.apiKeys.get('k').catch((e: unknown) => e);
  expect(first).toMatchObject({ name: 'ChunkLoadError', part: 'API errors' });
  expect(String((first as Error).stack)).not.toContain(SECRET);
  const second = await coveton.apiKeys.get('k').catch((e: unknown) => e);
  expect(second).toMatchObject({ name: 'CovetonError', message: 'vault refused [REDACTED]' });
  expect(api.requests).toHaveLength(0);
});
