// A list walk's pages go as its first page went (the pin of ../../src/pipeline/index.ts). A walk
// can last far longer than the access token it started with: its later pages must follow that
// session (the same lineage) as it is refreshed, not send the first page's token for ever, and
// never fall back to the client's API key. A token a walk still sends after another user signed
// in stays a secret: a 401 that echoes it is redacted.
import { afterEach, describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../src/index.js';
import { createCoveton } from '../support/client.js';
import { jwt } from '../support/auth-server.js';
import { apiError, json, startFaultServer, type FaultServer } from '../support/fault-server.js';

let server: FaultServer | undefined;
afterEach(() => server?.close());
const now = () => Math.floor(Date.now() / 1000);
const KEY = 'ak_test_app_key_xxxxxxxxxxxxxxxx';

/** The `jti` of the bearer JWT a request carried, else the header as it is. */
function jti(authorization: unknown): string {
  const payload = String(authorization).split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti : String(authorization);
}

/**
 * Pages of one message each (`before` = the id of the last one); `/users/me` for other calls.
 * Access tokens listed in `expired` are answered 401 token_expired; each refresh gives A(n+1)
 * living `ttl` seconds.
 */
async function start(ttl: number) {
  const expired = new Set<string>();
  const refreshes: string[] = [];
  const pages: string[] = [];
  const s = await startFaultServer((req, res) => {
    if (req.path === '/auth/refresh') {
      refreshes.push((JSON.parse(req.body) as { refreshToken: string }).refreshToken);
      const n = refreshes.length + 1;
      return json(res, 200, { accessToken: jwt(now() + ttl, `A${n}`), refreshToken: `rt_A${n}_xxxxxxxxxxxxxxxx`, expiresIn: ttl });
    }
    if (req.path === '/auth/login') return json(res, 200, { accessToken: jwt(now() + 900, 'B1'), refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 });
    const id = jti(req.headers.authorization);
    if (expired.has(id)) return apiError(res, 401, 'UNAUTHORIZED', 'Access token expired.', { reason: 'token_expired' });
    if (req.path === '/users/me') return json(res, 200, { id: `usr_${id}` });
    pages.push(id);
    const before = new URL(req.path, 'http://x').searchParams.get('before');
    const n = before ? Number(before.slice(4)) - 1 : 9;
    json(res, 200, n > 0 ? [{ id: `msg_${n}` }] : []);
  });
  server = s;
  return { s, expired, refreshes, pages };
}

describe("a long list walk whose first page's token expired", () => {
  it('its later pages go with the refreshed token of the same session: one refresh, no 401 per page', async () => {
    const t = await start(900);
    const coveton = createCoveton({ baseUrl: t.s.url, logLevel: 'off', accessToken: jwt(now() + 900, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    let seen = 0;
    for await (const _ of coveton.chats.listMessages('chat_1', { limit: 1 })) {
      if (++seen === 1) t.expired.add('A1'); // hours later: A1 has expired
      if (seen === 5) break;
    }
    expect(t.refreshes).toEqual(['rt_A1_xxxxxxxxxxxxxxxx']);
    // Page 2 renews A1 (401, then A2); pages 3 to 5 go with A2 at once.
    expect(t.pages).toEqual(['A1', 'A2', 'A2', 'A2', 'A2']);
    const unauthorized = t.s.requests.filter((r) => r.path.startsWith('/chats/') && jti(r.headers.authorization) === 'A1');
    expect(unauthorized).toHaveLength(2);
  });

  it("refreshed more than 32 times by the client's other calls while it goes on, it still goes as the user, never with the API key", async () => {
    // Pairs that expire within the refresh margin: every call of the client refreshes first.
    const t = await start(30);
    const coveton = createCoveton({ baseUrl: t.s.url, logLevel: 'off', apiKey: KEY, accessToken: jwt(now() + 30, 'A1'), refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    let seen = 0;
    for await (const _ of coveton.chats.listMessages('chat_1', { limit: 1 })) {
      // The application's loop makes 20 calls per item, each refreshing first: 40 tokens by page 3.
      for (let i = 0; i < 20; i++) await coveton.users.getCurrent();
      if (++seen === 3) break;
    }
    expect(t.refreshes).toHaveLength(63); // one per call, the pages included
    expect(t.pages.filter((p) => p.includes(KEY))).toEqual([]);
    expect(t.pages).toHaveLength(3);
    expect(t.pages.every((p) => /^A\d+$/.test(p))).toBe(true);
  });
});

describe('a walk that goes on after another user signed in', () => {
  it("a 401 echoing the first user's token it still sends is redacted", async () => {
    // Opaque tokens: no pattern of the redaction knows their shape, only the session's secrets do.
    const A1 = 'opaque_access_A1_5f1c9e7d2b';
    let page = 0;
    const s = await startFaultServer((req, res) => {
      if (req.path === '/auth/login') return json(res, 200, { accessToken: 'opaque_access_B1_8a3d6c0e4f', refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 });
      if (++page === 1) return json(res, 200, [{ id: 'msg_2' }]);
      apiError(res, 401, 'UNAUTHORIZED', `Session revoked for token ${String(req.headers.authorization).slice(7)}`, { reason: 'session_revoked' });
    });
    server = s;
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', accessToken: A1, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    const walk = (async () => {
      for await (const _ of coveton.chats.listMessages('chat_1', { limit: 1 })) await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    })();
    const error = await walk.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    // The second page went as A (the walk's user) ...
    expect(s.requests.filter((r) => r.path.startsWith('/chats/')).map((r) => r.headers.authorization)).toEqual([`Bearer ${A1}`, `Bearer ${A1}`]);
    // ... and A's token, no longer the session's, is still kept out of the error.
    expect((error as Error).message).not.toContain(A1);
    expect((error as Error).message).toContain('[REDACTED]');
  });
});

describe("guard: a retry of a call sent with the application's own authenticator", () => {
  it('the key rotated meanwhile: the retry is authenticated afresh, with the new key (told the old one)', async () => {
    let key = 'ak_test_first_key_xxxxxxxxxxxxxxxx';
    const told: (string | undefined)[] = [];
    let n = 0;
    const s = await startFaultServer((req, res) => (++n === 1 ? apiError(res, 503, 'SERVICE_UNAVAILABLE', 'try again') : json(res, 200, { id: 'usr_app' })));
    server = s;
    const coveton = createCoveton({
      baseUrl: s.url,
      logLevel: 'off',
      maxRetries: 1,
      backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 },
      auth: {
        authenticate: (request) => {
          told.push(request.credential);
          request.headers.authorization = `Bearer ${key}`;
          key = 'ak_test_second_key_xxxxxxxxxxxxxxx'; // rotated right after the first use
          return request.headers.authorization.slice(7);
        },
        renew: async () => false,
        secrets: () => [key],
      },
    });
    await coveton.users.getCurrent();
    expect(s.requests.map((r) => r.headers.authorization)).toEqual(['Bearer ak_test_first_key_xxxxxxxxxxxxxxxx', 'Bearer ak_test_second_key_xxxxxxxxxxxxxxx']);
    expect(told).toEqual([undefined, 'ak_test_first_key_xxxxxxxxxxxxxxxx']);
  });
});

describe('guard: a walk whose user signs out, or that started with the API key', () => {
  it("signed out after the first page: the next page carries the user's revoked token once and fails with its 401, never the API key", async () => {
    const A1 = jwt(now() + 900, 'A1');
    const s = await startFaultServer((req, res) => {
      if (req.path === '/auth/logout') return void res.writeHead(204).end();
      if (req.headers.authorization === `Bearer ${A1}` && s.requests.some((r) => r.path === '/auth/logout')) return apiError(res, 401, 'UNAUTHORIZED', 'Session revoked.', { reason: 'session_revoked' });
      json(res, 200, [{ id: 'msg_2' }]);
    });
    server = s;
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', apiKey: KEY, accessToken: A1, refreshToken: 'rt_A1_xxxxxxxxxxxxxxxx' });
    const walk = (async () => {
      for await (const _ of coveton.chats.listMessages('chat_1', { limit: 1 })) await coveton.session.logout();
    })();
    const error = await walk.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).reason).toBe('session_revoked');
    expect(s.requests.filter((r) => r.path.startsWith('/chats/')).map((r) => r.headers.authorization)).toEqual([`Bearer ${A1}`, `Bearer ${A1}`]);
  });

  it('started with the API key (nobody signed in): it goes on with the key after a user signs in', async () => {
    const s = await startFaultServer((req, res) => {
      if (req.path === '/auth/login') return json(res, 200, { accessToken: jwt(now() + 900, 'B1'), refreshToken: 'rt_B1_xxxxxxxxxxxxxxxx', expiresIn: 900 });
      const before = new URL(req.path, 'http://x').searchParams.get('before');
      json(res, 200, before ? [] : [{ id: 'msg_2' }]);
    });
    server = s;
    const coveton = createCoveton({ baseUrl: s.url, logLevel: 'off', apiKey: KEY });
    for await (const _ of coveton.chats.listMessages('chat_1', { limit: 1 })) await coveton.session.login({ email: 'b@example.com', password: 'a-strong-passphrase' });
    expect(s.requests.filter((r) => r.path.startsWith('/chats/')).map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });
});
