// A call made as user A that waits in the client-side rate-limit queue (maxConcurrent: 1, the
// one turn held by a call on the wire) while the application signs A out and B signs in goes
// in the session it was made in: it fails unsent, never goes out as B (or with no credential).
// B signs in through a second client on the same store (another tab): a login on this client
// would wait in the same queue, behind A's call. A call made with no session (the API key) goes
// with the API key, never as whoever signed in while it waited.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionExpiredError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { jwt } from '../support/auth-server.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { holdOnTheWire } from '../support/wire-gate.js';
import { memoryTokenStore } from '../../src/session/tokens.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { SessionTokens } from '../../src/public/session.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const now = () => Math.floor(Date.now() / 1000);
const A = jwt(now() + 900, 'A1');
const B = jwt(now() + 900, 'B1');
const who = (authorization: unknown) => (authorization === `Bearer ${A}` ? 'A' : authorization === `Bearer ${B}` ? 'B' : String(authorization));

/** The held call (/users/me) takes the one turn; `queued` is made while it is on the wire. */
async function queuedBehind(options: CovetonOptions) {
  server = await startFaultServer((req, res) => (req.path === '/auth/login' ? json(res, 200, { accessToken: B, refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 }) : json(res, 200, req.path.startsWith('/api-keys') ? [] : { id: 'x' })));
  const s = server;
  const held = holdOnTheWire('/users/me');
  // The pair goes in the shared store (a client refuses tokens beside a store).
  const { accessToken, refreshToken, ...rest } = options;
  const store = memoryTokenStore(accessToken ? { accessToken, refreshToken: refreshToken! } : undefined);
  const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 0, rateLimit: { maxConcurrent: 1 }, tokenStore: store, fetch: held.fetch, ...rest });
  const other = createCoveton({ baseUrl: s.url, logLevel: 'off', rateLimit: false, tokenStore: store });
  const first = coveton.users.getCurrent();
  await held.reached;
  const queued = coveton.apiKeys.list().then((v) => v, (e: unknown) => e);
  const sent = () => s.requests.filter((r) => r.path.startsWith('/api-keys')).map((r) => who(r.headers.authorization));
  return { coveton, other, held, first, queued, sent };
}

/** The held call goes on; the queued one, made in a session that ended meanwhile, fails unsent with `session_changed`. */
async function failsUnsent(q: Awaited<ReturnType<typeof queuedBehind>>) {
  q.held.release();
  await q.first;
  const error = await q.queued;
  expect(error).toBeInstanceOf(SessionExpiredError);
  expect((error as SessionExpiredError).reason).toBe('session_changed');
  expect(q.sent()).toEqual([]);
}

describe('a call waiting for its rate-limit turn while the session changes', () => {
  it('made as A, A signed out and B signed in meanwhile: it fails with SessionExpiredError, never sent as B', async () => {
    // The error is no end of B's session: the application is not told the session expired.
    let expired = 0;
    const q = await queuedBehind({ accessToken: A, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx', onSessionExpired: () => void expired++ });
    const logout = q.coveton.session.logout();
    while ((await q.coveton.session.tokens()) !== undefined) await new Promise((r) => setTimeout(r, 1));
    await q.other.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    await failsUnsent(q);
    await logout;
    // A call made now goes as B.
    await q.coveton.apiKeys.list();
    expect(q.sent()).toEqual(['B']);
    expect(expired).toBe(0);
  });

  it('made as A, A signed out meanwhile: it fails unsent rather than going with no credential', async () => {
    const q = await queuedBehind({ accessToken: A, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    const logout = q.coveton.session.logout();
    while ((await q.coveton.session.tokens()) !== undefined) await new Promise((r) => setTimeout(r, 1));
    await failsUnsent(q);
    await logout;
  });

  it('made as A, A signed out and B signed in on another client on the store (another tab): it fails unsent, never sent as B', async () => {
    const q = await queuedBehind({ accessToken: A, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    await q.other.session.logout();
    await q.other.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    await failsUnsent(q);
    await q.coveton.apiKeys.list();
    expect(q.sent()).toEqual(['B']);
  });

  it('made with the API key and no session, a sign-out here and B signed in meanwhile: it goes with the API key, not as B', async () => {
    const q = await queuedBehind({ apiKey: 'ak_test_queued0000' });
    await q.coveton.session.logout();
    await q.other.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    q.held.release();
    await q.first;
    expect(await q.queued).toEqual([]);
    expect(q.sent()).toEqual(['Bearer ak_test_queued0000']);
  });
});

// A store may keep only the tokens (public/session.ts `lineage`: such pairs count as one lineage).
// The sign-in's pair carries its lineage until the store is read back; a call that began to wait
// meanwhile noted that pair, and the same session read back without it is no other sign-in.
describe('a call waiting for its turn right after a sign-in, on a store that keeps only the tokens', () => {
  it('goes as the user who signed in: the lineage the store dropped is no sign-out', async () => {
    server = await startFaultServer((req, res) => (req.path === '/auth/login' ? json(res, 200, { accessToken: B, refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 }) : json(res, 200, req.path.startsWith('/api-keys') ? [] : { id: 'x' })));
    const s = server;
    let kept: string | undefined;
    const tokensOnly = {
      // A store on the far side of an await (a database, a file): its read ends after both calls were made.
      get: () => new Promise<SessionTokens | undefined>((r) => setTimeout(() => r(kept ? (JSON.parse(kept) as SessionTokens) : undefined), 20)),
      set: async (tokens?: SessionTokens) => void (kept = tokens && JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })),
    };
    const held = holdOnTheWire('/users/me');
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', maxRetries: 0, rateLimit: { maxConcurrent: 1 }, tokenStore: tokensOnly, fetch: held.fetch });
    await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    const first = coveton.users.getCurrent();
    const queued = coveton.apiKeys.list().then((v) => v, (e: unknown) => e);
    await held.reached;
    held.release();
    await first;
    expect(await queued).toEqual([]);
    expect(s.requests.filter((r) => r.path.startsWith('/api-keys')).map((r) => who(r.headers.authorization))).toEqual(['B']);
  });
});
