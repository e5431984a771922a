// Methods whose code loads on first call: the implementation is a module the caller reaches with
// `import()`, so an application's bundler makes it a chunk of its own, fetched only when one of
// the methods runs. Each method was async already: the same errors, at the same points. A
// chunk that fails to load (the network of a browser page) is asked for again on the next call.

/** `names` of `load()`'s result, as methods that load it on first use. */
export function lazyMethods<T extends object, K extends keyof T>(load: () => Promise<T>, names: readonly K[]): Pick<T, K> {
  let loaded: Promise<T> | undefined;
  const target = () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
  const methods = {} as Record<K, unknown>;
  for (const name of names) {
    methods[name] = async (...args: unknown[]) => {
      const impl = await target();
      return (impl[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return methods as Pick<T, K>;
}
