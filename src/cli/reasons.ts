// The API's 401/403 `reason` codes (spec: ErrorReason.yaml) in plain words, each with what to do.
import type { ErrorReason } from '../index.js';

export const REASON_TEXT: Record<ErrorReason, string> = {
  credentials_missing: 'no API key was sent: pass --api-key or set COVETON_API_KEY',
  token_invalid: 'the API key or token is not valid (malformed, mistyped, or unknown to this server): check that you copied the whole secret',
  token_expired: 'the access token has expired: sign in again, or use an API key',
  refresh_token_reused: 'a refresh token was used twice, so the whole session was revoked: sign in again',
  session_revoked: 'the session was revoked or logged out: sign in again',
  invalid_credentials: 'wrong email or password',
  oauth_failed: 'the OAuth sign-in failed (state mismatch or the provider refused the code): start the sign-in again',
  key_revoked: 'the API key has been revoked, and a revoked key never works again: create a new one with `coveton api-keys create`',
  key_suspended: 'the API key is suspended: reactivate it with `coveton api-keys update <id> --status active`',
  key_expired: 'the API key has expired: create a new one with `coveton api-keys create`',
  wrong_environment:
    'the API key belongs to another environment: a test key (ak_test_...) was sent to production, or a live key (ak_live_...) to the sandbox; use --base-url https://sandbox.api.coveton.com/v1 for test keys',
  insufficient_scope: 'the API key lacks the admin scope this needs (keys:manage for API keys, audit:read for audit logs)',
  scope_grant_forbidden: 'a key can only grant scopes it holds itself: drop the extra --permissions or use a key that holds them',
  environment_forbidden: 'a non-production key cannot create a production key: use a production key',
  enterprise_required: 'creating production keys over the API needs an enterprise plan: create it in the dashboard instead',
  ip_not_allowed: "this machine's IP address is not in the key's allowed IPs: call from an allowed address or update the key's allowedIps",
  not_owner: "only the organization's owner may do this",
  not_sender: "only the message's sender may edit or delete it",
};

/** The words for a reason, or undefined for a reason this CLI does not know yet. */
export function reasonText(reason: string | undefined): string | undefined {
  return reason !== undefined && Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason as ErrorReason] : undefined;
}
