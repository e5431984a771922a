// Code loaded on first use (src/util/lazy.ts) whose chunk does not load: an offline page, a
// chunk gone from the CDN. Each module below fails its first load here, as `import()` does then.
// The call that needed it fails with a ChunkLoadError naming the part, nothing is sent that the
// failure would waste, and the next call loads the chunk and works. The SDK is imported afresh,
// after the mocks (test/support/offline-chunks.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { apiError, json, redirectsToKey, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { offlineChunks } from '../support/offline-chunks.js';

let sdk: typeof import('../../src/index.js');
let support: typeof import('../support/client.js');
const offline = offlineChunks(
  {
    rotate: 'src/session/rotate.ts',
    'sign-in': 'src/session/sign-in.ts',
    redirect: 'src/pipeline/redirect.ts',
    'page-walk': 'src/resources/page-walk.ts',
    'raw-client': 'src/resources/raw-client.ts',
    'refused-turn': 'src/pipeline/refused-turn.ts',
    'from-response': 'src/pipeline/from-response.ts',
  },
  async () => {
    sdk = await import('../../src/index.js');
    support = await import('../support/client.js');
  },
);

let server: AuthServer | FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  offline.fail.clear();
});

async function chunkError(call: Promise<unknown>, part: string): Promise<void> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(sdk.ChunkLoadError);
  expect(error).toMatchObject({ name: 'ChunkLoadError', part });
  expect((error as Error).cause).toBeInstanceOf(Error);
}

describe('a chunk that fails to load', () => {
  // First: the raw client's case below loads the API errors' builder before it sends.
  it('API errors: a call answered 503, or 404, fails typed and is not sent again; the next error response is its typed error', async () => {
    const api = await startFaultServer((req, res) => (req.path.endsWith('/gone') ? apiError(res, 404, 'NOT_FOUND', 'no such key') : apiError(res, 503, 'INTERNAL', 'busy')));
    server = api;
    const coveton = support.testClient(api.url, { maxRetries: 1, backoff: { initialDelay: 1, maxDelay: 1, jitter: 0 } });
    // A retry is told its cause (onRetry, the log line): without the error, no retry.
    offline.fail.add('from-response');
    await chunkError(coveton.apiKeys.get('busy'), 'API errors');
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/busy']);
    offline.fail.add('from-response');
    await chunkError(coveton.apiKeys.get('gone'), 'API errors');
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/busy', '/api-keys/gone']);
    await expect(coveton.apiKeys.get('gone')).rejects.toMatchObject({ name: 'NotFoundError', status: 404, endpoint: 'GET /api-keys/{id}' });
    expect(offline.loads.get('from-response')).toBe(3);
  });

  it('token refresh: 20 calls that find the token expired share one failed load and send no refresh; the next call refreshes once', async () => {
    const auth = await startAuthServer();
    server = auth;
    const tokens = auth.issue({ expired: true });
    const coveton = support.createCoveton({ baseUrl: auth.url, logLevel: 'off', ...tokens });
    offline.fail.add('rotate');
    const first = await Promise.all(Array.from({ length: 20 }, () => coveton.users.getCurrent().catch((e: unknown) => e)));
    for (const error of first) expect(error).toMatchObject({ name: 'ChunkLoadError', part: 'token refresh' });
    // One load, but each caller its own error object (hostile review L6: a field one set, all saw), the same cause.
    expect(new Set(first).size).toBe(20);
    expect(new Set(first.map((e) => (e as Error).cause)).size).toBe(1);
    expect(offline.loads.get('rotate')).toBe(1);
    expect(auth.refreshes).toHaveLength(0);
    expect((await coveton.session.tokens())?.refreshToken).toBe(tokens.refreshToken);
    const second = await Promise.all(Array.from({ length: 20 }, () => coveton.users.getCurrent()));
    expect(second.map((user) => user.id)).toEqual(Array(20).fill('usr_1'));
    expect(auth.refreshes).toHaveLength(1);
    expect(auth.reuses).toBe(0);
    expect(offline.loads.get('rotate')).toBe(2);
  });

  it('logout: the pair is forgotten even when its chunk does not load (nothing is sent)', async () => {
    const auth = await startAuthServer();
    server = auth;
    const coveton = support.createCoveton({ baseUrl: auth.url, logLevel: 'off', ...auth.issue() });
    expect(await coveton.session.tokens()).toBeDefined();
    offline.fail.add('sign-in');
    await chunkError(coveton.session.logout(), 'sign-in');
    expect(await coveton.session.tokens()).toBeUndefined();
    expect(auth.requests).toHaveLength(0);
  });

  it('logout: with a store that takes its time (Redis), it settles only once the pair is forgotten', async () => {
    const auth = await startAuthServer();
    server = auth;
    let pair: import('../../src/index.js').SessionTokens | undefined = auth.issue();
    const writes: string[] = [];
    const tokenStore = {
      get: () => pair,
      set: async (tokens: typeof pair) => {
        await new Promise((done) => setTimeout(done, 30));
        pair = tokens;
        writes.push(tokens ? 'pair' : 'forgotten');
      },
    };
    const coveton = support.createCoveton({ baseUrl: auth.url, logLevel: 'off', tokenStore });
    offline.fail.add('sign-in');
    await chunkError(coveton.session.logout(), 'sign-in');
    // No wait here: the rejection came after the store's write, not before it.
    expect([writes, pair]).toEqual([['forgotten'], undefined]);
    expect(auth.requests).toHaveLength(0);
  });

  it('sign-in: the login is not sent (its pair would be lost); the next login installs its pair', async () => {
    const auth = await startAuthServer();
    server = auth;
    const coveton = support.createCoveton({ baseUrl: auth.url, logLevel: 'off' });
    offline.fail.add('sign-in');
    await chunkError(coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' }), 'sign-in');
    expect(auth.requests).toHaveLength(0);
    await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
    expect(auth.requests.map((r) => r.path)).toEqual(['/auth/login']);
    await expect(coveton.users.getCurrent()).resolves.toMatchObject({ id: 'usr_1' });
  });

  it('redirect rules: the redirected call fails typed, nothing follows; the next redirect is judged and followed', async () => {
    const api = await startFaultServer(redirectsToKey(support.apiKeyRecord));
    server = api;
    const coveton = support.testClient(api.url);
    offline.fail.add('redirect');
    await chunkError(coveton.apiKeys.get('old'), 'redirects');
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/old']);
    await expect(coveton.apiKeys.get('old')).resolves.toMatchObject({ id: 'key_01HZX3K8W2Q9' });
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/old', '/api-keys/old', '/api-keys/key_01HZX3K8W2Q9']);
  });

  it('page walk and raw client: typed failure, then the same call works; calls made together load once', async () => {
    const api = await startFaultServer((req, res) => json(res, 200, req.path.startsWith('/api-keys?') ? [support.apiKeyRecord] : support.apiKeyRecord));
    server = api;
    const coveton = support.testClient(api.url);
    offline.fail.add('page-walk');
    const walk = async () => {
      const ids: string[] = [];
      for await (const key of coveton.apiKeys.list()) ids.push(key.id);
      return ids;
    };
    await chunkError(walk(), 'page walk');
    expect(await Promise.all([walk(), walk()])).toEqual([[support.apiKeyRecord.id], [support.apiKeyRecord.id]]);
    expect(offline.loads.get('page-walk')).toBe(2);

    offline.fail.add('raw-client');
    const get = () => coveton.GET('/api-keys/{id}', { params: { path: { id: 'key_1' } } });
    await chunkError(get(), 'raw client');
    const [a, b] = await Promise.all([get(), get()]);
    expect([a.data?.id, b.data?.id]).toEqual([support.apiKeyRecord.id, support.apiKeyRecord.id]);
    expect(offline.loads.get('raw-client')).toBe(2);
  });

  it("rate-limit refusal: the refused call fails typed, nothing sent; the next refusal is the RateLimitedError", async () => {
    const api = await startFaultServer((req, res) => json(res, 200, support.apiKeyRecord));
    server = api;
    const store = { take: () => ({ wait: 3_600_000, why: 'window' as const }), report: () => {} };
    const coveton = support.createCoveton({ baseUrl: api.url, apiKey: 'ak_test_lazyChunks1234', logLevel: 'off', rateLimit: { store }, maxRetryAfter: 1_000 });
    offline.fail.add('refused-turn');
    await chunkError(coveton.apiKeys.get('key_1'), 'rate-limit refusal');
    await expect(coveton.apiKeys.get('key_1')).rejects.toMatchObject({ name: 'RateLimitedError', status: 429, retryAfterMs: 3_600_000, endpoint: 'GET /api-keys/{id}' });
    expect(offline.loads.get('refused-turn')).toBe(2);
    expect(api.requests).toHaveLength(0);
  });
});
