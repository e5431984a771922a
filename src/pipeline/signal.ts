// Each attempt gets its own AbortSignal: a timer for the per-attempt `timeout` (or what is left
// of the `deadline`, if that is sooner) linked to the caller's signal. A shared signal would let
// one timeout kill every later call (openapi-fetch's createClient({ signal }) does exactly that).
// Plain setTimeout rather than AbortSignal.timeout() so that tests can drive it with fake timers.
import { APITimeoutError, APIUserAbortError } from '../errors/transport.js';
import { clampTimer } from '../util/timers.js';

export interface AttemptSignal {
  signal: AbortSignal;
  /** Why the signal fired, once it has. */
  reason(): 'caller' | 'attempt' | 'deadline' | undefined;
  dispose(): void;
}

export function attemptSignal(caller: AbortSignal | undefined, timeout: number, deadlineLeft: number): AttemptSignal {
  const controller = new AbortController();
  let why: 'caller' | 'attempt' | 'deadline' | undefined;
  const onCallerAbort = () => {
    why = 'caller';
    controller.abort(new APIUserAbortError({ cause: caller?.reason }));
  };
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });

  const byDeadline = deadlineLeft < timeout;
  const ms = Math.max(0, Math.min(timeout, deadlineLeft));
  const timer = Number.isFinite(ms)
    ? setTimeout(() => {
        why = byDeadline ? 'deadline' : 'attempt';
        controller.abort(new APITimeoutError(why, byDeadline ? deadlineLeft : timeout));
      }, clampTimer(ms))
    : undefined;

  return {
    signal: controller.signal,
    reason: () => why,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Waits `ms`, or rejects with the abort error as soon as the caller's signal fires. */
export function sleep(ms: number, caller?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (caller?.aborted) return reject(new APIUserAbortError({ cause: caller.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError({ cause: caller?.reason }));
    };
    const timer = setTimeout(() => {
      caller?.removeEventListener('abort', onAbort);
      resolve();
    }, clampTimer(ms));
    caller?.addEventListener('abort', onAbort, { once: true });
  });
}
