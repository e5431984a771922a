// Modules the SDK loads on first use (`import()`), made to fail their next load on demand, as a
// chunk does on an offline page or after a deploy removed it. The unit files share one module
// registry, so `load` imports what the test uses afresh, after the mocks; the registry is reset
// again for the files that follow.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface OfflineChunks {
  /** Names whose next load fails (each once). */
  fail: Set<string>;
  /** Loads of each name so far. */
  loads: Map<string, number>;
}

/** `modules`: name -> source file from the repository's root (`src/session/rotate.ts`). */
export function offlineChunks(modules: Record<string, string>, load: () => Promise<void>): OfflineChunks {
  const chunks: OfflineChunks = { fail: new Set(), loads: new Map() };
  beforeAll(async () => {
    vi.resetModules();
    for (const [name, path] of Object.entries(modules)) {
      vi.doMock(root + path, async (original) => {
        chunks.loads.set(name, (chunks.loads.get(name) ?? 0) + 1);
        if (chunks.fail.delete(name)) throw new TypeError(`Failed to fetch dynamically imported module: ${name}`);
        return original();
      });
    }
    await load();
  });
  afterAll(() => {
    for (const path of Object.values(modules)) vi.doUnmock(root + path);
    vi.resetModules();
  });
  return chunks;
}
