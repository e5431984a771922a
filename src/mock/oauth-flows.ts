// The OAuth flows the start operations began (rules/oauth.ts), and which of them a callback
// completes: its state, at its provider, with its code, within the code's lifetime. Kept apart
// from the handlers so that checks.ts (x-invariant `oauthCallback`) reads them without a cycle.
import type { Call, MockEnv } from './engine.js';
import type { Row } from './state.js';

/** Where flows are kept: a store collection, so that a reset forgets them and the cap bounds them. */
export const OAUTH_FLOWS = '_oauth-flows';
/** How long a code lasts: providers' authorization codes live minutes (Google's: 10). */
export const CODE_LIFETIME_MS = 10 * 60_000;

/** The flow a callback's `state`, `code` and provider complete, or undefined (401 `oauth_failed`). */
export function oauthFlowOf(call: Pick<Call, 'query' | 'params'>, env: MockEnv): Row | undefined {
  const flow = env.store.get(OAUTH_FLOWS, String(call.query.state));
  const live = flow !== undefined && flow.provider === call.params.provider && flow.code === call.query.code && flow.expiresAt > env.now();
  return live ? flow : undefined;
}
