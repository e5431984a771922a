// How `onTokens` hears a pair the store already took, for a sign-in (./sign-in.ts) and a
// refresh (./rotate.ts) alike. Loaded with them, on first use. Its failure (a throw, or no
// answer within `storeTimeout`) is logged, never thrown: the pair is the session by then, and
// failing the sign-in or the call would leave the application believing it is not.
import { errorName } from '../errors/base.js';
import { bounded } from './bounded.js';
import type { RefresherOptions } from './refresh.js';
import type { SessionTokens } from '../public/session.js';

/** What telling `onTokens` needs of the client's session options. */
export type Hearing = Pick<RefresherOptions, 'onTokens' | 'storeTimeout' | 'logger'>;

export async function tell({ onTokens, storeTimeout, logger }: Hearing, tokens: SessionTokens): Promise<void> {
  // Still pending when bounded() gives up: the time limit ended the wait, and its error (a
  // TokenStoreError) would blame the store for the application's callback.
  let pending = false;
  const settled = () => (pending = false);
  try {
    const heard = onTokens?.(tokens);
    if (heard instanceof Promise) (pending = true), heard.then(settled, settled);
    await bounded(heard, 'onTokens', storeTimeout, undefined, false);
  } catch (error) {
    logger.error(`onTokens ${pending ? 'did not settle within storeTimeout' : 'failed'}; the new pair is the session all the same`, pending ? { storeTimeout } : { error: errorName(error) });
  }
}
