// The API's `reason` codes (spec: ErrorReason.yaml) in plain words, each with what to do.
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
    'the API key belongs to another environment: test keys (ak_test_...) work only on the sandbox and the mock, live keys (ak_live_...) only in production; use a key of this server\'s environment, or point --base-url at the key\'s (https://sandbox.api.coveton.com/v1 for test keys, https://api.coveton.com/v1 for live ones)',
  insufficient_scope: 'the API key lacks the admin scope this needs (keys:manage for API keys, audit:read for audit logs)',
  scope_grant_forbidden: 'a key can only grant scopes it holds itself: drop the extra --permissions or use a key that holds them',
  environment_forbidden: 'a non-production key cannot create a production key: use a production key',
  enterprise_required: 'creating production keys over the API needs an enterprise plan: create it in the dashboard instead',
  ip_not_allowed: "this machine's IP address is not in the key's allowed IPs: call from an allowed address or update the key's allowedIps",
  not_owner: "only the organization's owner may do this",
  not_sender: "only the message's sender may edit or delete it",
  not_admin: "only the organization's owners and admins may do this",
  not_invitee: 'the invite was sent to another email address: sign in with that address',
  user_required: 'only a signed-in user may do this, not an API key',
  organization_suspended: 'the organization is suspended: nothing in it can change',
  signature_invalid: "the payment provider's signature does not verify or is stale",
  email_taken: 'an account with this email address already exists: sign in instead',
  handle_taken: 'another user has this handle: pick another',
  slug_taken: 'another organization has this slug: pick another',
  name_taken: 'the name is already used in the organization: pick another',
  identity_key_taken: 'a device with this identity key is already registered',
  already_member: 'the address already belongs to a member of the organization',
  invite_pending: 'the address already has a pending invite',
  invite_expired: 'the invite has expired: ask for a new one',
  invite_not_pending: 'the invite was already accepted or was revoked',
  already_revoked: 'the API key is revoked, and a revoked key stays revoked: create a new one with `coveton api-keys create`',
  already_suspended: 'the organization is already suspended',
  last_owner: 'the organization would be left without an active owner: make another member owner first',
  role_builtin: 'built-in roles cannot be changed or deleted',
  direct_chat_exists: 'a direct chat between the two users already exists',
  plan_already_active: 'the organization is already on this plan',
  message_expired: 'the message is past its expiresAt',
  signed_pre_key_not_newer: 'a rotated signed pre-key needs a higher keyId than the current one',
  device_removed: 'the device was removed and can no longer send',
  reset_token_invalid: 'the password reset token is unknown, used or expired: ask for a new one',
  direct_chat_shape: 'a direct chat names exactly one other user and has no name',
  expires_at_past: 'expiresAt must be in the future',
  signed_pre_key_invalid: "the signed pre-key's signature does not verify under the identity key",
  envelope_device_repeated: 'the message has two envelopes for one device: seal once per device',
  envelope_device_not_in_chat: "an envelope is for a device that is not an active device of the chat's participants: list the chat's devices again and seal to those",
};

/** The words for a reason, or undefined for a reason this CLI does not know yet. */
export function reasonText(reason: string | undefined): string | undefined {
  return reason !== undefined && Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason as ErrorReason] : undefined;
}
