// A token refresh answered with an error while the API errors' chunk does not load (a stale tab
// after a deploy): the refresh reached the server and got an answer, so its token may be spent.
// Hostile review H1: the ChunkLoadError was neither an APIError nor an APIConnectionError, so
// the token stayed usable and the next call sent it again (seed 002: a replayed refresh token
// revokes the whole family). The SDK is imported afresh, after the mocks (test/support/offline-chunks.ts).
import { afterEach, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { offlineChunks } from '../support/offline-chunks.js';

let sdk: typeof import('../../src/index.js');
let support: typeof import('../support/client.js');
const offline = offlineChunks({ 'from-response': 'src/pipeline/from-response.ts' }, async () => {
  sdk = await import('../../src/index.js');
  support = await import('../support/client.js');
});

let server: AuthServer | undefined;
afterEach(async () => {
  await server?.close();
  offline.fail.clear();
});

it('a refresh answered 500 whose error does not load: the token counts as spent, the session ends once, the token is never sent again', async () => {
  const auth = await startAuthServer();
  server = auth;
  const tokens = auth.issue({ expired: true });
  const expired: unknown[] = [];
  const coveton = support.createCoveton({ baseUrl: auth.url, logLevel: 'off', ...tokens, onSessionExpired: (e) => void expired.push(e) });
  auth.failRefresh.push(500);
  offline.fail.add('from-response');
  const first = await coveton.users.getCurrent().catch((e: unknown) => e);
  expect(first).toBeInstanceOf(sdk.SessionExpiredError);
  expect((first as Error).cause).toBeInstanceOf(sdk.ChunkLoadError);
  expect(expired).toEqual([first]);
  expect(await coveton.session.tokens()).toBeUndefined();
  // Signed out: the next call goes without a session (the server refuses it) and sends no refresh.
  await expect(coveton.users.getCurrent()).rejects.toMatchObject({ name: 'UnauthorizedError', status: 401 });
  expect(auth.refreshes.map((r) => JSON.parse(r.body!).refreshToken)).toEqual([tokens.refreshToken]);
  expect(auth.reuses).toBe(0);
  expect(expired).toHaveLength(1);
  expect(offline.loads.get('from-response')).toBe(2); // the failed one, then the 401's
});
