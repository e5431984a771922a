// What kind of runtime the SDK is in, where a rule depends on it: the one place that asks.
// A browser page is a window
// with a document: Web Workers, service workers, edge workers, Deno, Bun and Node have no
// `document` (Deno 1 had a `window`, so Deno is ruled out by name too).

export function isBrowserPage(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown; Deno?: unknown; Bun?: unknown };
  return (
    typeof g.window === 'object' &&
    g.window !== null &&
    typeof g.document === 'object' &&
    g.document !== null &&
    g.Deno === undefined &&
    g.Bun === undefined
  );
}

/**
 * Node itself, not a runtime that also answers to the `node` export condition (Bun, Deno):
 * those keep their own fetch, which their undici look-alikes do not replace.
 */
export function isNode(): boolean {
  const g = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  return g.Bun === undefined && g.Deno === undefined && typeof g.process?.versions?.node === 'string';
}
