// Every wait on code outside the SDK (the token store, its lock, `onTokens`) ends: after
// `storeTimeout`, or when the caller's signal fires. A hung store must not hang every call.
import { TokenStoreError } from '../errors/store.js';
import { APIUserAbortError } from '../errors/transport.js';
import { clampTimer } from '../util/timers.js';

export function bounded<T>(
  work: T | Promise<T>,
  operation: string,
  timeout: number,
  signal?: AbortSignal,
  /** Wrap a rejection in a TokenStoreError (store calls), or pass it on as is (`onTokens`, the caller's own code). */
  wrap = true,
): T | Promise<T> {
  if (!(work instanceof Promise)) return work;
  if (signal?.aborted) return Promise.reject(new APIUserAbortError({ cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(new APIUserAbortError({ cause: signal?.reason })));
    const timer = Number.isFinite(timeout)
      ? setTimeout(
          () => finish(() => reject(new TokenStoreError(operation, `The token store did not answer ${operation} within ${timeout} ms.`))),
          clampTimer(timeout),
        )
      : undefined;
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) =>
        finish(() =>
          reject(
            !wrap || error instanceof TokenStoreError || error instanceof APIUserAbortError
              ? error
              : new TokenStoreError(operation, `The token store failed on ${operation}.`, { cause: error }),
          ),
        ),
    );
  });
}
