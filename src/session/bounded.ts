// Every wait on code outside the SDK (the token store, its lock, `onTokens`) ends: after
// `storeTimeout`, or when the caller's signal fires. A hung store must not hang every call.
import { isDecryptFailure, TokenStoreError } from '../errors/store.js';
import { APIUserAbortError } from '../errors/transport.js';
import { race } from '../pipeline/signal.js';

export function bounded<T>(
  work: T | Promise<T>,
  operation: string,
  timeout: number,
  signal?: AbortSignal,
  /** Wrap a rejection in a TokenStoreError (store calls), or pass it on as is (`onTokens`, the caller's own code). */
  wrap = true,
): T | Promise<T> {
  if (!(work instanceof Promise)) return work;
  // The caller's signal (followed through its one relay, however many waits share it) and the
  // time limit: whatever comes first settles the promise.
  return race(work, signal, timeout, () => new TokenStoreError(operation, `The token store did not answer ${operation} within ${timeout} ms.`)).catch((error: unknown) => {
    throw !wrap || error instanceof TokenStoreError || isDecryptFailure(error) || error instanceof APIUserAbortError
      ? error
      : new TokenStoreError(operation, `The token store failed on ${operation}.`, { cause: error });
  });
}
