// OAuth sign-in on the mock, as a partner's CI drives it (plain HTTP): the start operation's 302
// goes straight back to the `redirectUri` with a `code` and the `state` (the mock has no provider
// to consent at), and the callback takes that code once, for that state and provider only. A
// state no start issued, a code used already or another provider's flow is a 401 `oauth_failed`
// (spec/paths/auth_oauth_{provider}_callback.yaml). The callback signs in the account most
// recently registered, or Ada before any was (the guide's promise).
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, outcome, type Answer } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, control } = httpClient(() => mock().url);
const OAUTH_FAILED = { status: 401, code: 'UNAUTHORIZED', reason: 'oauth_failed' };

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

/** Starts a flow; resolves to the `code` and `state` the redirect back carries. */
async function start(provider: 'google' | 'github', query: string): Promise<{ answer: Answer; back: URL }> {
  const answer = await fetch(`${mock().url}/auth/oauth/${provider}?${query}`, { redirect: 'manual' }).then((r) => ({ status: r.status, headers: r.headers, body: {} }));
  return { answer, back: new URL(answer.headers.get('location') ?? 'about:blank') };
}

const callback = (provider: string, code: string, state: string) => call('GET', `/auth/oauth/${provider}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);

describe('OAuth: the callback completes only a flow the start operation began, once', () => {
  it('start redirects back to redirectUri with a code and the state; the callback signs in the newest user, and the code works once', async () => {
    const grace = await call('POST', '/auth/register', { body: { email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace' } });
    expect(grace.status).toBe(201);
    const { answer, back } = await start('google', `redirectUri=${encodeURIComponent('https://app.example.com/oauth/callback')}&state=st_partner_csrf_1`);
    expect(answer.status).toBe(302);
    expect(`${back.origin}${back.pathname}`).toBe('https://app.example.com/oauth/callback');
    expect(back.searchParams.get('state')).toBe('st_partner_csrf_1');
    const code = back.searchParams.get('code')!;
    expect(code).toMatch(/^oac_[A-Za-z0-9]{24}$/);

    const first = await callback('google', code, 'st_partner_csrf_1');
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ id: grace.body.user.id, email: 'grace@example.com' });
    expect((await call('GET', '/users/me', { token: first.body.accessToken })).body.email).toBe('grace@example.com');
    // Single use: the same code and state again.
    expect(outcome(await callback('google', code, 'st_partner_csrf_1'))).toEqual(OAUTH_FAILED);
  });

  it('a state no start issued, a wrong code, or the code at another provider is a 401 oauth_failed, and signs no one in', async () => {
    const sessions = (await control('/state')).body.sessions;
    expect(outcome(await callback('google', 'made-up-code', 'forged-state-123'))).toEqual(OAUTH_FAILED);
    expect(outcome(await callback('github', 'x', 'xxxxxxxx'))).toEqual(OAUTH_FAILED);
    const { back } = await start('github', `redirectUri=${encodeURIComponent('https://app.example.com/cb')}`);
    const state = back.searchParams.get('state')!;
    expect(state).toMatch(/^st_[A-Za-z0-9]{16}$/); // generated when the client sends none
    expect(outcome(await callback('github', 'oac_notTheCodeIssued0000000', state))).toEqual(OAUTH_FAILED);
    expect(outcome(await callback('google', back.searchParams.get('code')!, state))).toEqual(OAUTH_FAILED);
    expect((await control('/state')).body.sessions).toBe(sessions);
    // The right pair still works after those attempts.
    expect((await callback('github', back.searchParams.get('code')!, state)).status).toBe(200);
  });

  it('a code expires 10 minutes after its start, on the mock clock', async () => {
    const { back } = await start('google', `redirectUri=${encodeURIComponent('https://app.example.com/cb')}&state=st_slow_user_1`);
    expect((await control('/clock', { advance: '11m' })).status).toBe(200);
    expect(outcome(await callback('google', back.searchParams.get('code')!, 'st_slow_user_1'))).toEqual(OAUTH_FAILED);
  });

  it("the reference's example callback (its code and state) succeeds once after a reset (seeded, as the docs' Try it sends it)", async () => {
    const example = await callback('google', '4/0AfJohXk9example-code', 'st_5b2e9c71a4d8f036');
    expect(example.status).toBe(200);
    expect(example.body.user.id).toBe(SEED.userId); // no account registered since the reset: Ada
    expect(outcome(await callback('google', '4/0AfJohXk9example-code', 'st_5b2e9c71a4d8f036'))).toEqual(OAUTH_FAILED);
  });
});
