// How `onTokens` hears a pair the store already took, for a sign-in (./sign-in.ts) and a
// refresh (./rotate.ts) alike. Loaded with them, on first use. Its failure (a throw, or no
// answer within `storeTimeout`) is logged, never thrown: the pair is the session by then, and
// failing the sign-in or the call would leave the application believing it is not.
import { errorName } from '../errors/base.js';
import { TokenStoreError } from '../errors/store.js';
import { bounded } from './bounded.js';
import type { RefresherOptions } from './refresh.js';
import type { SessionTokens } from '../public/session.js';

/** What telling `onTokens` needs of the client's session options. */
export type Hearing = Pick<RefresherOptions, 'onTokens' | 'storeTimeout' | 'logger'>;

export async function tell({ onTokens, storeTimeout, logger }: Hearing, tokens: SessionTokens): Promise<void> {
  try {
    await bounded(onTokens?.(tokens), 'onTokens', storeTimeout, undefined, false);
  } catch (error) {
    // bounded() passes onTokens's own failure as it is (no wrap): a TokenStoreError of its
    // operation is its time limit, logged as such rather than blaming the store for the callback.
    const late = error instanceof TokenStoreError && error.operation === 'onTokens';
    logger.error(`onTokens ${late ? 'did not settle within storeTimeout' : 'failed'}; the new pair is the session all the same`, late ? { storeTimeout } : { error: errorName(error) });
  }
}
