// Code that loads on first use: the implementation is a module the caller reaches with
// `import()`, so an application's bundler makes it a chunk of its own, fetched only when it is
// needed. Concurrent callers share one load. A chunk that fails to load (the network of a
// browser page, a chunk gone from the server) is a ChunkLoadError naming the part, and is asked
// for again on the next call.
import { ChunkLoadError } from '../errors/load.js';

/** `load()` on the first call, shared by every later one; a failed load is forgotten, each caller rejected with an error of its own. */
export function loadOnce<T>(part: string, load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    // Each caller its own error (hostile review L6): one shared object was one caller's to change for all.
    (loaded ??= load()).catch((error: unknown) => {
      loaded = undefined;
      throw new ChunkLoadError(part, { cause: error });
    });
}

/** `names` of `load()`'s result, as methods that load it on first use. Each was async already. */
export function lazyMethods<T extends object, K extends keyof T>(part: string, load: () => Promise<T>, names: readonly K[]): Pick<T, K> {
  const target = loadOnce(part, load);
  const methods = {} as Record<K, unknown>;
  for (const name of names) {
    methods[name] = async (...args: unknown[]) => {
      const impl = await target();
      return (impl[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return methods as Pick<T, K>;
}
