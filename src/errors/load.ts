import { CovetonError } from './base.js';

/**
 * A part of the SDK that loads on first use (a chunk of the application's bundle: the token
 * refresh, the raw client, the redirect rules, the page walk, sign-in, file transfers, the
 * rate-limit queue's refusal) did not load: an offline page, a chunk the server no longer has.
 * Nothing was sent for the call that needed it; the next call asks for the chunk again. `part`
 * names it.
 */
export class ChunkLoadError extends CovetonError {
  override name = 'ChunkLoadError';
  constructor(
    readonly part: string,
    options?: { cause?: unknown },
  ) {
    super(`The SDK's ${part} did not load; the next call tries again.`, options);
  }
}
