import { CovetonError } from './base.js';

/**
 * The session cannot go on: the refresh token was rejected for good (spent, revoked family,
 * expired), or there is none. Every request that waited on the refresh gets this same error;
 * the user must sign in again.
 */
export class SessionExpiredError extends CovetonError {
  override name = 'SessionExpiredError';
  constructor(
    message: string,
    /** The API's reason, e.g. `refresh_token_reused` when a spent token revoked the family. */
    readonly reason: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
