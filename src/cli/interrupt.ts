// Ctrl-C anywhere leaves quietly with exit 130. What is on screen (a spinner hiding the cursor)
// registers here how to put the terminal back first; the bin's SIGINT handler runs it. A command
// that serves until stopped (`mock`, `webhooks listen`) stops through serveUntilSignal instead.
import { Interrupted } from '../tools/failures.js';

const cleanups = new Set<() => void>();

/** Runs `cleanup` if the user interrupts before `dispose()` is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Puts the terminal back: called once, on SIGINT, before exiting 130. */
export function runInterruptCleanups(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // leaving anyway
    }
  }
  cleanups.clear();
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Serves until a signal, then runs `stop` (closing what the command opened) and settles: SIGTERM
 * and SIGHUP are a clean stop (a supervisor's, `docker stop`: exit 0); SIGINT is Ctrl-C, which
 * ends every command with 130, so it rejects with Interrupted once stopped. While this listens
 * the bin's SIGINT handler stands aside; a second Ctrl-C finds only the bin's and exits at once.
 */
export function serveUntilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      void stop().then(() => {
        if (signal !== 'SIGINT') return resolve();
        runInterruptCleanups();
        reject(new Interrupted());
      }, reject);
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
  });
}
