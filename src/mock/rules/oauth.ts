// OAuth sign-in (spec: startGoogleOAuth, startGithubOAuth, completeOAuth). The mock has no
// provider to send a browser to, so it stands in for one that consents at once: the start's 302
// goes straight back to the `redirectUri` with a fresh `code` and the `state` (the client's, or
// one made here), as the provider's redirect would after consent. The callback completes only a
// flow so begun, once (oauth-flows.ts; else 401 `oauth_failed`, the x-invariant `oauthCallback`).
// Found by a hostile review: any code and state signed in, again and again.
import type { Handler } from '../engine.js';
import { visible } from '../fill.js';
import { SEED } from '../seed-data.js';
import { CODE_LIFETIME_MS, OAUTH_FLOWS, oauthFlowOf } from '../oauth-flows.js';
import { openSession } from './auth.js';
import { base62 } from '../../tools/ids.js';

const start =
  (provider: string): Handler =>
  (call, env) => {
    const state = typeof call.query.state === 'string' ? call.query.state : `st_${base62(16)}`;
    const code = `oac_${base62(24)}`;
    const redirectUri = String(call.query.redirectUri);
    env.store.put(OAUTH_FLOWS, { id: state, provider, code, redirectUri, expiresAt: env.now() + CODE_LIFETIME_MS });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', state);
    return { status: 302, headers: { location: back.href } };
  };

// The mock cannot ask a provider who consented: the account most recently registered (`POST
// /auth/register`) signs in, or, before any was, the seeded owner, Ada (as the guide says).
const complete: Handler = (call, env) => {
  env.store.remove(OAUTH_FLOWS, oauthFlowOf(call, env)!.id);
  const users = env.store.all('users');
  const user = users.find((u) => u._registered === true) ?? env.store.get('users', SEED.userId) ?? users[0]!;
  return { status: 200, body: { ...openSession(user.id, call, env), user: visible(user) } };
};

export const oauthRules: Record<string, Handler> = { startGoogleOAuth: start('google'), startGithubOAuth: start('github'), completeOAuth: complete };
