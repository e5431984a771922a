// Each attempt gets its own abort source (a real AbortSignal only when asked for): a timer for the per-attempt `timeout` (or what is left
// of the `deadline`, if that is sooner) linked to the caller's signal. A shared signal would let
// one timeout kill every later call (openapi-fetch's createClient({ signal }) does exactly that).
// Plain setTimeout rather than AbortSignal.timeout() so that tests can drive it with fake timers.
import { APITimeoutError, APIUserAbortError } from '../errors/transport.js';
import { clampTimer } from '../util/timers.js';
import type { AbortSource } from '../transport/outgoing.js';

/**
 * Controllers lent to fetch and given back when their attempt ended without firing. On Node 20
 * `new AbortController()` costs about 7 µs of CPU (it is made transferable), a few percent of a
 * warm local call. A signal that never fired is safe to lend again: a runtime follows it from
 * each request it was given, and aborting a request that has answered and whose body is read or
 * cancelled does nothing (Fetch standard, "abort the fetch() call"). Each controller goes to at
 * most {@link LENDS} sends, as undici drops a finished request's listener only when that request
 * is collected; at most {@link IDLE} wait idle.
 */
const idle: [AbortController, lends: number][] = [];
const LENDS = 64;
const IDLE = 8;

/**
 * The one listener each caller's signal gets from the SDK, however many calls, attempts and waits
 * follow it: an application that hands its one shutdown signal to every call would otherwise get
 * a listener per call in flight (Node warns past 10, MaxListenersExceededWarning). The listener
 * is a function, added when the first follower comes and removed with the last: a polyfilled
 * signal built on EventEmitter (node-abort-controller) takes only functions and keeps every
 * copy it is given. Every follower is the SDK's own `fire`, which throws nothing (a runtime's
 * abort listeners run inside the abort's dispatch, which keeps their errors to itself).
 */
const relays = new WeakMap<AbortSignal, [followers: Set<() => void>, relay: () => void]>();

/** Calls `listener` when `signal` aborts, until the function returned is called (once or more). */
function follow(signal: AbortSignal, listener: () => void): () => void {
  let entry = relays.get(signal);
  if (!entry) {
    const followers = new Set<() => void>();
    const relay = () => followers.forEach((f) => f());
    relays.set(signal, (entry = [followers, relay]));
  }
  const [followers, relay] = entry;
  if (!followers.size) signal.addEventListener('abort', relay);
  followers.add(listener);
  return () => void (followers.delete(listener) && !followers.size && signal.removeEventListener('abort', relay));
}

export interface AttemptSignal extends AbortSource {
  /** Why it fired, once it has. */
  why(): 'caller' | 'attempt' | 'deadline' | undefined;
  dispose(): void;
}

export function attemptSignal(caller: AbortSignal | undefined, timeout: number, deadlineLeft: number): AttemptSignal {
  let why: 'caller' | 'attempt' | 'deadline' | undefined;
  let reason: unknown;
  let listeners: Set<() => void> | undefined;
  /** Made only when someone asks for `signal` (fetch does; undici takes this source as it is). */
  let controller: AbortController | undefined;
  /** The controller came from the pool, and nobody but the transport has seen its signal. */
  let lent: [AbortController, lends: number] | undefined;
  const fire = (cause: 'caller' | 'attempt' | 'deadline', error: unknown) => {
    if (why) return;
    why = cause;
    reason = error;
    // Fired: nothing more to hear from the caller (a stream left unread is never disposed).
    unfollow?.();
    controller?.abort(error);
    listeners?.forEach((listener) => listener());
    listeners = undefined;
  };
  const onCallerAbort = () => fire('caller', new APIUserAbortError({ cause: caller?.reason }));
  let unfollow: (() => void) | undefined;
  if (caller?.aborted) onCallerAbort();
  else if (caller) unfollow = follow(caller, onCallerAbort);

  const byDeadline = deadlineLeft < timeout;
  const ms = Math.max(0, Math.min(timeout, deadlineLeft));
  const timer = Number.isFinite(ms)
    ? setTimeout(() => fire(byDeadline ? 'deadline' : 'attempt', new APITimeoutError(byDeadline ? 'deadline' : 'attempt', byDeadline ? deadlineLeft : timeout)), clampTimer(ms))
    : undefined;

  return {
    get aborted() {
      return why !== undefined;
    },
    get reason() {
      return reason;
    },
    addEventListener: (_type, listener) => void (listeners ??= new Set()).add(listener),
    removeEventListener: (_type, listener) => void listeners?.delete(listener),
    get signal() {
      // Whoever else holds it may keep it past the attempt: this one is never lent again.
      lent = undefined;
      if (!controller) {
        controller = new AbortController();
        if (why) controller.abort(reason);
      }
      return controller.signal;
    },
    get sendSignal() {
      if (controller || why) return this.signal;
      lent = idle.pop() ?? [new AbortController(), 0];
      lent[1]++;
      return (controller = lent[0]).signal;
    },
    why: () => why,
    dispose() {
      clearTimeout(timer);
      unfollow?.();
      if (lent && !why) {
        if (lent[1] < LENDS && idle.length < IDLE) idle.push(lent);
        lent = controller = undefined; // a late `fire` must not reach the next borrower
      }
    },
  };
}

/**
 * Waits `ms`, or rejects with the abort error as soon as the caller's signal fires: a race with
 * no work, which time ends quietly. An endless wait is clamped as every timer is: a pending timer
 * keeps Node running, where none would let the process exit with the call never settled.
 */
export const sleep = (ms: number, caller?: AbortSignal): Promise<void> => race(new Promise<void>(() => {}), caller, clampTimer(ms || 0));

/**
 * `work`, unless the caller's signal fires first (its `APIUserAbortError`) or `ms` passes first
 * (the error `late` makes; without `late`, undefined): whichever comes first settles, once. For
 * waits on what the SDK does not control: a chunk loading (./index.ts), the token store
 * (../session/bounded.ts); and the backoff's (`sleep`).
 */
export function race<T>(work: Promise<T>, caller: AbortSignal | undefined, ms: number, late?: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const wait = attemptSignal(caller, Infinity, ms);
    const end = () => (wait.dispose(), wait.why() === 'caller' ? reject(wait.reason) : late ? reject(late()) : resolve(undefined as T));
    // A caller's signal that fired already fires this one at once, before any listener.
    if (wait.aborted) end();
    else wait.addEventListener('abort', end);
    work.then(resolve, reject).finally(wait.dispose);
  });
}
