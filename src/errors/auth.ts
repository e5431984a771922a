import { CovetonError } from './base.js';

/**
 * The credential step failed: a caller's authenticator (`auth`), or its `renew`, threw (or
 * rejected with) something that is no CovetonError. Nothing was sent for that attempt, and the
 * call is not retried. The message names what was thrown and gives its message with every
 * declared secret redacted; the thrown value itself is not kept as `cause` (its message, stack
 * or fields may hold the very secret it failed on).
 */
export class AuthenticatorError extends CovetonError {
  override name = 'AuthenticatorError';
}
