// Ctrl-C anywhere leaves quietly with exit 130. What is on screen (a spinner hiding the cursor)
// registers here how to put the terminal back first; the bin's SIGINT handler runs it.
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
