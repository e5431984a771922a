// The walk behind `PagePromise.pages()` and `for await` (./pagination.ts), loaded on the first
// walk. It must end even when the server misbehaves: every cursor sent is remembered (one
// string per page, not one per item), and a page whose next cursor is missing, not a string, or
// was already sent (a server cycling A -> B -> A, or ignoring `before`) stops the walk with a
// PaginationError before that page is handed over.
import { PaginationError, type PageFetcher } from './pagination.js';

/** `"..."`, at most 64 characters of it: a cursor comes from the server and may be anything. */
const show = (cursor: string) => JSON.stringify(cursor.slice(0, 64));

/** Every page from `first` on, oldest last, until a short or empty page. `release` lets the first page go. */
export async function* walk<T extends { id: string }>(
  first: Promise<T[]>,
  release: () => void,
  fetchPage: PageFetcher<T>,
  limit: number,
  start: string | undefined,
  operation: string,
): AsyncGenerator<T[], void, undefined> {
  let page = await first;
  release(); // let the first page go once the walk moves on
  const used = new Set<string>();
  if (start !== undefined) used.add(start);
  for (;;) {
    if (page.length === 0) return;
    const full = page.length >= limit;
    let next: string | undefined;
    if (full) {
      const id = (page[page.length - 1] as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id === '') {
        throw new PaginationError(operation, 'a full page ends with an item without an id');
      }
      next = id;
    }
    for (const item of page) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && used.has(id)) {
        throw new PaginationError(operation, `pages do not advance: ${show(id)} was already sent as a cursor`);
      }
    }
    yield page;
    if (next === undefined) return;
    used.add(next);
    page = await fetchPage(next);
  }
}
