import { CovetonError } from './base.js';

/**
 * The session cannot go on: the refresh token was rejected for good (spent, revoked family,
 * expired), or there is none. Every request that waited on the refresh gets this same error;
 * the user must sign in again; unless `reason` is `session_changed`: the call's session was
 * replaced before it was sent, and whoever is signed in now still is.
 */
export class SessionExpiredError extends CovetonError {
  override name = 'SessionExpiredError';
  constructor(
    message: string,
    /** The API's reason, e.g. `refresh_token_reused` when a spent token revoked the family, or `session_changed`. */
    readonly reason: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
