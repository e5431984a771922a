// What kind of runtime the SDK is in, where a rule depends on it. A browser page is a window
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
