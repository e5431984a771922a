// A scripted API for renewal tests: the first GET /users/me is held until the test lets it go,
// then answered 401 token_expired; every other one is answered 200. Each pair it issues is named
// (the `jti` of its JWT: B1 for the first login, B1r1 for the first refresh of it...), and the
// name each GET /users/me carried is recorded, so a test asserts exactly which pair went.
import { jwt } from './auth-server.js';
import { createCoveton } from './client.js';
import { apiError, json, startFaultServer, type FaultServer } from './fault-server.js';
import { gate } from './wire-gate.js';
import type { SessionTokens, TokenStore } from '../../src/public/session.js';

const now = () => Math.floor(Date.now() / 1000);

/** What a request carried: the `jti` of its bearer JWT, or the header as it is. */
function carried(authorization: string): string {
  const payload = authorization.replace(/^Bearer /, '').split('.')[1];
  if (!payload) return authorization;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti;
}

export interface LineageScript {
  /** Seconds the pair a login returns lives (below the refresh margin: about to expire). */
  loginTtl?: number;
  /** How the refresh is answered: a new pair, or 401 (the family is gone). */
  refresh?: 200 | 401;
}

export interface LineageServer extends FaultServer {
  /** Resolves once the first GET /users/me arrived (and is held). */
  first: Promise<void>;
  /** Lets the held request be answered 401 token_expired. */
  release(): void;
  /** What each GET /users/me carried, in order. */
  me: string[];
  /** The refresh token each POST /auth/refresh carried. */
  refreshed: string[];
}

export async function startLineageServer(script: LineageScript = {}): Promise<LineageServer> {
  const { reached: first, arrive: held, released, release } = gate();
  const me: string[] = [];
  const refreshed: string[] = [];
  let logins = 0;
  const server = await startFaultServer(async (req, res) => {
    if (req.path === '/auth/login') {
      const id = `B${++logins}`;
      const ttl = script.loginTtl ?? 900;
      return json(res, 200, { accessToken: jwt(now() + ttl, id), refreshToken: `rt_${id}_xxxxxxxxxxxxxxxx`, expiresIn: ttl, tokenType: 'Bearer', user: { id: `usr_${id}` } });
    }
    if (req.path === '/auth/refresh') {
      const from = (JSON.parse(req.body) as { refreshToken: string }).refreshToken;
      refreshed.push(from);
      if (script.refresh === 401) return apiError(res, 401, 'UNAUTHORIZED', 'family revoked', { reason: 'session_revoked' });
      const id = `${from.split('_')[1]}r${refreshed.length}`;
      return json(res, 200, { accessToken: jwt(now() + 900, id), refreshToken: `rt_${id}_xxxxxxxxxxxxxxxx`, expiresIn: 900 });
    }
    me.push(carried(String(req.headers.authorization ?? 'none')));
    if (me.length === 1) {
      held();
      await released;
      return apiError(res, 401, 'UNAUTHORIZED', 'Access token expired.', { reason: 'token_expired' });
    }
    json(res, 200, { id: 'usr_1' });
  });
  return { ...server, first, release, me, refreshed };
}

/** What `twoClients` saw: the held call's outcome, whether `onSessionExpired` fired, and what the store holds after. */
export interface TwoClients {
  outcome: unknown;
  expired: number;
  stored: SessionTokens | undefined;
}

/**
 * Two clients (two processes or tabs) on one store, each with `makeStore()`. The first signs in
 * and sends the call the server holds; meanwhile the other `refreshes` (its margin outlives any
 * token, so it refreshes before its call) or `signs in`; then the held call is answered 401
 * token_expired.
 */
export async function twoClients(server: LineageServer, makeStore: () => TokenStore, other: 'refreshes' | 'signs in'): Promise<TwoClients> {
  let expired = 0;
  const options = { baseUrl: server.url, logLevel: 'off', maxRetries: 0 } as const;
  const one = createCoveton({ ...options, tokenStore: makeStore(), onSessionExpired: () => void expired++ });
  const two = createCoveton({ ...options, tokenStore: makeStore(), refreshMargin: 10_000_000 });
  await one.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
  const call = one.users.getCurrent().catch((e: unknown) => e);
  await server.first;
  if (other === 'refreshes') await two.users.getCurrent();
  else await two.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
  server.release();
  const outcome = await call;
  return { outcome, expired, stored: await makeStore().get() };
}
