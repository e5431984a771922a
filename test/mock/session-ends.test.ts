// A sign-in's tokens live exactly as long as its session record: a session the collection cap
// drops is ended like a revoked one (its access token, refresh token and logout are 401
// session_revoked), so a password reset, which ends the sessions of the account, leaves none alive.
// The record is the only memory of an ended sign-in: no list of revoked sessions grows with use.
import { beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, httpClient, outcome } from './http.js';
import { SEED } from '../../src/mock/index.js';
import { useMock } from './support.js';

// The cap must hold the default seed's largest collection (the 35 permissions).
const CAP = 40;
const mock = useMock({ rateLimit: false, collectionCap: CAP });
const { call, control, signIn } = httpClient(() => mock().url);
const REVOKED = { status: 401, code: 'UNAUTHORIZED', reason: 'session_revoked' };
const bob = { id: SEED.bob.userId, email: SEED.bob.email, password: SEED.bob.password };

/** Signs Ada in, then Bob CAP times: Ada's session is the oldest, dropped by the cap. */
async function droppedSession() {
  const ada = await signIn(PEOPLE.ada);
  for (let i = 0; i < CAP; i++) await signIn(bob);
  const sid = JSON.parse(Buffer.from(ada.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
  return { ...ada, sid };
}

describe('a session dropped by the collection cap', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));

  it('is gone from the list, and its access token, refresh and logout are 401 session_revoked', async () => {
    const dropped = await droppedSession();
    const fresh = await signIn(PEOPLE.ada);
    const listed = await call('GET', '/sessions?limit=100', { token: fresh.accessToken });
    expect(listed.body.map((s: { id: string }) => s.id)).not.toContain(dropped.sid);
    expect(outcome(await call('GET', '/users/me', { token: dropped.accessToken }))).toEqual(REVOKED);
    expect(outcome(await call('POST', '/auth/refresh', { body: { refreshToken: dropped.refreshToken } }))).toEqual(REVOKED);
    expect(outcome(await call('POST', '/auth/logout', { body: { refreshToken: dropped.refreshToken } }))).toEqual(REVOKED);
    expect((await call('GET', '/users/me', { token: fresh.accessToken })).status).toBe(200);
  });

  it('stays ended after a password reset, which ends the sessions still stored too', async () => {
    const dropped = await droppedSession();
    const stored = await signIn(PEOPLE.ada);
    expect((await call('POST', '/auth/forgot-password', { body: { email: PEOPLE.ada.email } })).status).toBe(202);
    const token = (await control('/outbox')).body.at(-1).token as string;
    expect((await call('POST', '/auth/reset-password', { body: { token, password: 'a-new-strong-passphrase' } })).status).toBe(204);
    for (const session of [dropped, stored]) {
      expect(outcome(await call('GET', '/users/me', { token: session.accessToken }))).toEqual(REVOKED);
      expect(outcome(await call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } }))).toEqual(REVOKED);
    }
  });
});

describe('a session ended by logout or by a reused refresh token', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));
  const sid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

  it('logout: the access token is 401 session_revoked, still so once it has expired (not token_expired, which would invite a refresh)', async () => {
    const ada = await signIn(PEOPLE.ada);
    expect((await call('POST', '/auth/logout', { body: { refreshToken: ada.refreshToken } })).status).toBe(204);
    expect(outcome(await call('GET', '/users/me', { token: ada.accessToken }))).toEqual(REVOKED);
    expect((await control('/clock', { advance: 16 * 60_000 })).status).toBe(200);
    expect(outcome(await call('GET', '/users/me', { token: ada.accessToken }))).toEqual(REVOKED);
    expect(outcome(await call('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } }))).toEqual(REVOKED);
  });

  it('an expired access token of a live session is 401 token_expired', async () => {
    const ada = await signIn(PEOPLE.ada);
    expect((await control('/clock', { advance: 16 * 60_000 })).status).toBe(200);
    expect(outcome(await call('GET', '/users/me', { token: ada.accessToken }))).toEqual({ ...REVOKED, reason: 'token_expired' });
  });

  it('a reused refresh token is refused as reused once, then the session is ended: unlisted, and every token of it session_revoked', async () => {
    const ada = await signIn(PEOPLE.ada);
    const other = await signIn(PEOPLE.ada);
    const next = (await call('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } })).body as { accessToken: string; refreshToken: string };
    expect(outcome(await call('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } }))).toEqual({ ...REVOKED, reason: 'refresh_token_reused' });
    expect(outcome(await call('POST', '/auth/refresh', { body: { refreshToken: next.refreshToken } }))).toEqual(REVOKED);
    expect(outcome(await call('GET', '/users/me', { token: next.accessToken }))).toEqual(REVOKED);
    const listed = await call('GET', '/sessions?limit=100', { token: other.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.map((s: { id: string }) => s.id)).not.toContain(sid(ada.accessToken));
  });
});
