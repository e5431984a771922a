import { CovetonError } from './base.js';

/**
 * A shared store the client depends on (the token store, its lock, `onTokens`) failed or did
 * not answer in time. Nothing was sent: when this happens before a token refresh, the refresh
 * token is not spent and the session lives on, so the call can be tried again once the store
 * answers. `operation` names what failed (`get`, `set`, `lock`, `claim`, `onTokens`).
 */
export class TokenStoreError extends CovetonError {
  override name = 'TokenStoreError';
  constructor(
    readonly operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The pair in a shared token store could not be opened (`redisTokenStore`'s `cipher`): sealed
 * with a key the cipher does not hold, altered, moved from another session key, stored in clear
 * where a sealed pair belongs, or sealed while the store has no cipher. Nothing was sent with
 * it (the store fails closed); unlike other store failures, trying again does not help: give
 * the cipher the key it was sealed with, or sign in again.
 */
export class TokenDecryptError extends TokenStoreError {
  override name = 'TokenDecryptError';
  constructor(
    /** The Redis key of the session (the one TokenStoreError with a `key`: ../session/refresh.ts tells it by that). */
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super('get', `The session stored under ${JSON.stringify(key)} could not be opened (another key, altered, or not sealed by this store's cipher); nothing was sent.`, options);
  }
}

/**
 * A stored pair that would not open ({@link TokenDecryptError}), thrown by this copy of the SDK
 * or by another: an application that loads the ESM main entry and the CommonJS
 * `@coveton/sdk/redis` (or the reverse) holds two classes of each error, so this is told by the
 * name and the `key`, never by `instanceof`. Not referring to the class keeps it, and its message,
 * out of the bundle of an application that never uses the Redis store (that store throws it).
 */
export const isDecryptFailure = (error: unknown): error is TokenStoreError =>
  error instanceof Error && error.name === 'TokenDecryptError' && 'key' in error;
