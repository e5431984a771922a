// The raw client and the API errors' chunk: its documented contract (docs/guides/getting-started.md,
// RawClient's TSDoc) is `{ data, error, response }`, never a throw for an HTTP status. Before, a
// raw call answered 4xx/5xx while the API errors' chunk did not load rejected with
// ChunkLoadError('API errors'), after the request was answered. Now the raw client loads that
// builder before it sends: once it has, its error answers are `{ error }`; a builder that does not
// load fails the raw call before anything is sent. The SDK is imported afresh, after the mocks
// (test/support/offline-chunks.ts).
import { afterAll, expect, it } from 'vitest';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { offlineChunks } from '../support/offline-chunks.js';

let support: typeof import('../support/client.js');
const offline = offlineChunks({ 'from-response': 'src/pipeline/from-response.ts' }, async () => {
  support = await import('../support/client.js');
});

let api: FaultServer | undefined;
afterAll(() => api?.close());

// In order: the first case fails the builder's first load, the second finds it loaded.
it("a raw call whose API errors' builder does not load: ChunkLoadError('API errors'), nothing sent", async () => {
  api = await startFaultServer((req, res) => (req.path.endsWith('/gone') ? apiError(res, 404, 'NOT_FOUND', 'no such key') : json(res, 200, support.apiKeyRecord)));
  offline.fail.add('from-response');
  const error = await support.testClient(api.url).GET('/api-keys/{id}', { params: { path: { id: 'gone' } } }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'ChunkLoadError', part: 'API errors' });
  expect(api.requests).toHaveLength(0);
});

it('a raw call answered 404 once the raw client runs resolves with its { error }, even when the API errors would not load now', async () => {
  const coveton = support.testClient(api!.url);
  const ok = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
  expect(ok.data?.id).toBe(support.apiKeyRecord.id);
  offline.fail.add('from-response');
  const { data, error, response } = await coveton.GET('/api-keys/{id}', { params: { path: { id: 'gone' } } });
  expect(data).toBeUndefined();
  expect(error).toEqual({ error: { code: 'NOT_FOUND', message: 'no such key', requestId: 'req_404' } });
  expect(response.status).toBe(404);
  expect(api!.requests.map((r) => r.path)).toEqual(['/api-keys/key_1', '/api-keys/gone']);
});
