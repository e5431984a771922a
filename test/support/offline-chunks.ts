// Modules the SDK loads on first use (`import()`), made to fail their next load on demand, as a
// chunk does on an offline page or after a deploy removed it, or to stall it (a slow network, a
// fetch that never ends). The unit files share one module registry, so `load` imports what the
// test uses afresh, after the mocks; the registry is reset again for the files that follow.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface OfflineChunks {
  /** Names whose next load fails (each once). */
  fail: Set<string>;
  /** Makes the next load of `name` wait until the function returned is called, or the test ends: a load that stalls. */
  stall(name: string): () => void;
  /** Loads of each name so far. */
  loads: Map<string, number>;
}

/** `modules`: name -> source file from the repository's root (`src/session/rotate.ts`). */
export function offlineChunks(modules: Record<string, string>, load: () => Promise<void>): OfflineChunks {
  const held = new Map<string, Promise<void>>();
  const releases: (() => void)[] = [];
  const chunks: OfflineChunks = {
    fail: new Set(),
    loads: new Map(),
    stall(name) {
      let release = () => {};
      held.set(name, new Promise<void>((done) => (release = done)));
      releases.push(release);
      return release;
    },
  };
  beforeAll(async () => {
    vi.resetModules();
    for (const [name, path] of Object.entries(modules)) {
      vi.doMock(root + path, async (original) => {
        chunks.loads.set(name, (chunks.loads.get(name) ?? 0) + 1);
        const stalled = held.get(name);
        held.delete(name);
        await stalled;
        if (chunks.fail.delete(name)) throw new TypeError(`Failed to fetch dynamically imported module: ${name}`);
        return original();
      });
    }
    await load();
  });
  afterEach(() => {
    held.clear();
    for (const release of releases.splice(0)) release();
  });
  afterAll(() => {
    for (const path of Object.values(modules)) vi.doUnmock(root + path);
    vi.resetModules();
  });
  return chunks;
}

/** How `call` ended (its value as `{ value }`, or what it threw), and after how long; 'pending' if it had not after `limit` ms. */
export async function settledWithin(call: Promise<unknown>, limit = 3_000): Promise<{ settled: unknown; ms: number }> {
  const began = Date.now();
  const settled = await Promise.race([
    call.then(
      (value) => ({ value }),
      (error: unknown) => error,
    ),
    new Promise((done) => setTimeout(() => done('pending'), limit)),
  ]);
  return { settled, ms: Date.now() - began };
}
