// A stateful auth server for session tests: rotating refresh tokens grouped in families, a
// replayed refresh token revokes its family (seed 002), access tokens are JWT-shaped with `exp`.
import { apiError, drop, json, startFaultServer, type FaultServer, type Recorded } from './fault-server.js';

export function jwt(exp: number | undefined, id: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'HS256' })}.${b64({ sub: 'usr_1', jti: id, ...(exp === undefined ? {} : { exp }) })}.c2ln`;
}

export interface AuthServer extends FaultServer {
  refreshes: Recorded[];
  reuses: number;
  events: string[];
  /** Makes a family, returns its first pair; `expired` gives an access token already past its exp. */
  issue(opts?: { expired?: boolean; opaque?: boolean }): { accessToken: string; refreshToken: string };
  revoke(refreshToken: string): void;
  /** Scripted failures of the next refreshes: a status, or 'drop' (the connection is reset after the server spent the token). */
  failRefresh: (number | 'drop')[];
  /** Milliseconds the server takes to answer a refresh. */
  refreshDelay: { ms: number };
}

export async function startAuthServer(options: { accessTtl?: number; opaque?: boolean } = {}): Promise<AuthServer> {
  const ttl = options.accessTtl ?? 900;
  let seq = 0;
  const families = new Map<string, { revoked: boolean }>();
  const refreshTokens = new Map<string, { family: string; spent: boolean }>();
  const accessTokens = new Map<string, { family: string; exp: number }>();
  const state = { reuses: 0, refreshes: [] as Recorded[], events: [] as string[], failRefresh: [] as (number | 'drop')[], refreshDelay: { ms: 0 } };

  function pair(family: string, expired = false, opaque = options.opaque ?? false) {
    const id = String(++seq);
    const exp = Math.floor(Date.now() / 1000) + (expired ? -10 : ttl);
    const accessToken = opaque ? `opaque_access_${id}` : jwt(exp, id);
    const refreshToken = `rt_${id.padStart(4, '0')}${'x'.repeat(16)}`;
    accessTokens.set(accessToken, { family, exp });
    refreshTokens.set(refreshToken, { family, spent: false });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: expired ? -10 : ttl };
  }

  const server = await startFaultServer(async (req, res) => {
    const body = req.body ? JSON.parse(req.body) : {};
    if (req.path === '/auth/login') {
      const family = `fam_${++seq}`;
      families.set(family, { revoked: false });
      return json(res, 200, { ...pair(family), user: { id: 'usr_1' } });
    }
    if (req.path === '/auth/refresh') {
      state.refreshes.push(req);
      if (state.refreshDelay.ms) await new Promise((r) => setTimeout(r, state.refreshDelay.ms));
      const failure = state.failRefresh.shift();
      if (failure === 'drop') {
        const spentNow = refreshTokens.get(body.refreshToken);
        if (spentNow) spentNow.spent = true; // rotated on the server; the answer never arrives
        return drop(res);
      }
      if (failure) return apiError(res, failure, failure === 429 ? 'RATE_LIMITED' : 'INTERNAL', 'try later');
      const record = refreshTokens.get(body.refreshToken);
      if (!record) return apiError(res, 401, 'UNAUTHORIZED', 'unknown refresh token', { reason: 'token_invalid' });
      const family = families.get(record.family)!;
      if (record.spent) {
        state.reuses++;
        family.revoked = true;
        return apiError(res, 401, 'UNAUTHORIZED', 'refresh token reused; family revoked', { reason: 'refresh_token_reused' });
      }
      if (family.revoked) return apiError(res, 401, 'UNAUTHORIZED', 'session revoked', { reason: 'session_revoked' });
      record.spent = true;
      const next = pair(record.family);
      state.events.push(`issued ${next.accessToken}`);
      return json(res, 200, next);
    }
    if (req.path === '/auth/logout') {
      const record = refreshTokens.get(body.refreshToken);
      if (record) families.get(record.family)!.revoked = true;
      res.writeHead(204).end();
      return;
    }
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const access = accessTokens.get(token);
    state.events.push(`used ${token}`);
    if (!access || families.get(access.family)!.revoked) return apiError(res, 401, 'UNAUTHORIZED', 'revoked', { reason: 'session_revoked' });
    if (access.exp * 1000 <= Date.now()) return apiError(res, 401, 'UNAUTHORIZED', 'Access token expired.', { reason: 'token_expired' });
    return json(res, 200, { id: 'usr_1', email: 'ada@example.com' });
  });

  return {
    url: server.url,
    requests: server.requests,
    close: server.close,
    refreshes: state.refreshes,
    events: state.events,
    failRefresh: state.failRefresh,
    refreshDelay: state.refreshDelay,
    get reuses() {
      return state.reuses;
    },
    issue(opts: { expired?: boolean; opaque?: boolean } = {}) {
      const family = `fam_${++seq}`;
      families.set(family, { revoked: false });
      const { accessToken, refreshToken } = pair(family, opts.expired, opts.opaque);
      return { accessToken, refreshToken };
    },
    revoke(refreshToken: string) {
      families.get(refreshTokens.get(refreshToken)!.family)!.revoked = true;
    },
  };
}
