// A call that already went out carrying user A's access token, answered with a transient
// failure (503, 429) and retried, is retried as A: it carries the credential it was sent with,
// never the pair of user B who signed in while it waited. (The renewal after a 401
// token_expired is session-lineage.test.ts.) The server holds the first GET /users/me until the
// test lets it go, answers it as scripted, answers every later one 200 or 401 token_expired for
// a stale token, and records which pair each carried.
import { afterEach, describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { jwt } from '../support/auth-server.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { gate } from '../support/wire-gate.js';
import type { ServerResponse } from 'node:http';
import type { CovetonOptions } from '../../src/public/options.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const now = () => Math.floor(Date.now() / 1000);
const login = { email: 'b@example.com', password: 'a-strong-passphrase' };
/** The `jti` of the bearer JWT a request carried, else the header as it is. */
function jti(authorization: unknown): string {
  const payload = String(authorization).split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti : String(authorization);
}

/** `first`: how the held first call is answered; `expired`: the access tokens the server calls expired by then. */
async function start(first: (res: ServerResponse) => void, expired: string[] = []) {
  const { reached, arrive: arrived, released, release } = gate();
  const me: string[] = [];
  const refreshed: string[] = [];
  const s = await startFaultServer(async (req, res) => {
    if (req.path === '/auth/login') return json(res, 200, { accessToken: jwt(now() + 900, 'B1'), refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 });
    if (req.path === '/auth/refresh') {
      refreshed.push((JSON.parse(req.body) as { refreshToken: string }).refreshToken);
      return json(res, 200, { accessToken: jwt(now() + 900, `A1r${refreshed.length}`), refreshToken: `rt_A1r${refreshed.length}_xxxxxxxxxxxxxxxx`, expiresIn: 900 });
    }
    const id = jti(req.headers.authorization);
    me.push(id);
    if (me.length === 1) {
      arrived();
      await released;
      return first(res);
    }
    if (expired.includes(id)) return apiError(res, 401, 'UNAUTHORIZED', 'Access token expired.', { reason: 'token_expired' });
    json(res, 200, { id: `usr_${id}` });
  });
  server = s;
  return { url: s.url, requests: s.requests, reached, release, me, refreshed };
}

/** User A's client: the first call goes out as A and is held; B signs in meanwhile; then the first call is answered. */
async function aThenB(s: Awaited<ReturnType<typeof start>>, a: CovetonOptions = { accessToken: jwt(now() + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' }) {
  const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 2, backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 }, ...a });
  const call = coveton.users.getCurrent().catch((e: unknown) => e);
  await s.reached;
  await coveton.session.login(login);
  s.release();
  return { outcome: await call, coveton };
}

describe('a call retried after a transient failure, while another user signed in', () => {
  it('a 503 is retried with the credential the call was sent with (A), never as B', async () => {
    const s = await start((res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again'));
    const { outcome, coveton } = await aThenB(s);
    expect(outcome).toEqual({ id: 'usr_A1' });
    expect(s.me).toEqual(['A1', 'A1']);
    // B's session is untouched, and a call started now goes as B.
    await expect(coveton.users.getCurrent()).resolves.toEqual({ id: 'usr_B1' });
    expect(s.refreshed).toEqual([]);
  });

  it('a 429 is retried as A too', async () => {
    const s = await start((res) => apiError(res, 429, 'RATE_LIMITED', 'slow down', {}, { 'Retry-After': '0' }));
    const { outcome } = await aThenB(s);
    expect(outcome).toEqual({ id: 'usr_A1' });
    expect(s.me).toEqual(['A1', 'A1']);
  });

  it("A's token expired by the retry: renewed within A's lineage, or failing with its 401, never sent as B", async () => {
    const s = await start((res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again'), ['A1']);
    const { outcome } = await aThenB(s);
    expect(outcome).toBeInstanceOf(UnauthorizedError);
    expect((outcome as UnauthorizedError).reason).toBe('token_expired');
    expect(s.me).toEqual(['A1', 'A1']);
    expect(s.refreshed).toEqual([]);
  });

  it("a call sent with the client's API key (nobody signed in) is retried with the API key, not as the user who signed in", async () => {
    const s = await start((res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again'));
    const { outcome } = await aThenB(s, { apiKey: 'ak_test_app_key_xxxxxxxxxxxxxxxx' });
    expect(outcome).toEqual({ id: 'usr_Bearer ak_test_app_key_xxxxxxxxxxxxxxxx' });
    expect(s.me).toEqual(['Bearer ak_test_app_key_xxxxxxxxxxxxxxxx', 'Bearer ak_test_app_key_xxxxxxxxxxxxxxxx']);
  });

  it('a followed redirect carries the credential the call was sent with (A)', async () => {
    const s = await start((res) => void res.writeHead(307, { location: '/users/me?again=1' }).end());
    const { outcome } = await aThenB(s);
    expect(outcome).toEqual({ id: 'usr_A1' });
    expect(s.me).toEqual(['A1', 'A1']);
  });

  it("guard: nobody signed in, A's token expired by the retry: the retry's 401 renews it within A's lineage, one refresh", async () => {
    const s = await start((res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again'), ['A1']);
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 2, backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 }, accessToken: jwt(now() + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    const call = coveton.users.getCurrent();
    await s.reached;
    s.release();
    await expect(call).resolves.toEqual({ id: 'usr_A1r1' });
    expect(s.me).toEqual(['A1', 'A1', 'A1r1']);
    expect(s.refreshed).toEqual(['rt_A1_xxxxxxxxxxxxxxxx']);
  });

  it('a custom authenticator that returns what it set (an arrow with an expression body) signs each retry afresh; nothing else is sent', async () => {
    let signed = 0;
    const s = await start((res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again'));
    const coveton = createCoveton({
      baseUrl: s.url,
      logLevel: 'off',
      maxRetries: 1,
      backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 },
      auth: { authenticate: (request) => (request.headers['x-signature'] = `sig${++signed}`), secrets: () => [] },
    });
    const call = coveton.users.getCurrent();
    await s.reached;
    s.release();
    await call;
    const sent = s.requests.filter((r) => r.path === '/users/me');
    expect(sent.map((r) => [r.headers['x-signature'], r.headers.authorization])).toEqual([
      ['sig1', undefined],
      ['sig2', undefined],
    ]);
  });
});
