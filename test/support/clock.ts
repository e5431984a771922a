// Time in tests without waiting for it. `drive` runs a promise to its end under vitest's fake
// timers while real sockets keep working (a turn of the event loop, then the fake clock moves);
// `eventually` waits for a condition by turns of the event loop, never by a sleep.
import { vi } from 'vitest';

/** Settles `promise`, moving the fake clock `stepMs` at a time between turns of the real event loop. */
export async function drive<T>(promise: Promise<T>, stepMs = 250): Promise<T> {
  let done = false;
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void settled.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  const outcome = await settled;
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** Resolves once `check()` is true, failing after `turns` turns of the event loop. */
export async function eventually(check: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`not true after ${turns} turns of the event loop`);
}
