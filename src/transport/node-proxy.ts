// Proxy dispatchers that are made again when one is stuck. undici 7's ProxyAgent, against a proxy
// that accepts each connection and closes it at once, reconnects in a loop (thousands of
// connections a second) and never hears the request's abort, so the call's timeout would never
// end it (nodejs/undici#3897; fixed in undici 8, which needs Node 22). Destroying the dispatcher
// is what stops the loop and fails the request. A healthy dispatcher settles an aborted request
// at once, so one that has not within STUCK_MS of the abort is taken for stuck: it is destroyed
// (anything else in flight through it fails as a connection error, retried as the policy says)
// and the next request gets a new one. Node only: reached from ./node-undici.ts.
import type { Dispatcher } from 'undici';
import type { AbortSource } from './outgoing.js';

/** How long an aborted request may take to settle before its dispatcher counts as stuck. */
export const STUCK_MS = 1000;

/** The dispatcher to use now, and the one to tell when a request through `dispatcher` did not settle after its abort. */
export interface ProxyRoute {
  (origin: string): Dispatcher;
  stuck(dispatcher: Dispatcher): void;
}

/** A route through the dispatcher `make` makes, made again when it is stuck. */
export function renewableProxy(make: () => Dispatcher): ProxyRoute {
  let current = make();
  const route = (() => current) as unknown as ProxyRoute;
  route.stuck = (dispatcher) => {
    if (dispatcher === current) current = make();
    void dispatcher.destroy().catch(() => {});
  };
  return route;
}

/** `pending`, with `stuck()` called if it has not settled STUCK_MS after `abort` fired. */
export function settledOrStuck<T>(pending: Promise<T>, abort: AbortSource, stuck: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => void (timer = setTimeout(stuck, STUCK_MS));
  if (abort.aborted) onAbort();
  else abort.addEventListener('abort', onAbort);
  return pending.finally(() => {
    clearTimeout(timer);
    abort.removeEventListener('abort', onAbort);
  });
}
