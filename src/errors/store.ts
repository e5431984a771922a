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
