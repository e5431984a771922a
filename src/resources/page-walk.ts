// The walk behind `PagePromise.pages()` and `for await` (./pagination.ts), loaded on the first
// walk. A misbehaving server cannot make it loop or grow: every cursor sent is remembered (one
// string per page, not one per item, each at most MAX_ID long), and a page whose next cursor is
// missing, not a string, longer than any id of the API, or was already sent (a server cycling
// A -> B -> A, or ignoring `before`) stops the walk with a PaginationError before that page is
// handed over. A server that keeps sending full pages of new ids is walked for as long as the
// caller reads (toArray stops at its maxItems).
import { PaginationError, type PageFetcher } from './pagination.js';
import { count } from '../util/validate.js';

/** The longest id in the spec (`maxLength` of every `id`: 64, two of 255): a cursor past it is no id of the API's. */
const MAX_ID = 255;

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
  for (let number = 1; ; number++) {
    if (page.length === 0) return;
    const full = page.length >= limit;
    let next: string | undefined;
    if (full) {
      const id = (page[page.length - 1] as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id === '') {
        throw new PaginationError(operation, 'a full page ends with an item without an id');
      }
      // Kept for the rest of the walk and sent back in the URL: a server's megabyte "id" would
      // grow both with every page.
      if (id.length > MAX_ID) throw new PaginationError(operation, `a full page ends with an id longer than ${MAX_ID} characters`);
      next = id;
    }
    for (const item of page) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && used.has(id)) {
        // Named by its page, never quoted: the id is the server's string, and may echo a secret.
        throw new PaginationError(operation, `pages do not advance: page ${number} holds an id already sent as a cursor`);
      }
    }
    yield page;
    if (next === undefined) return;
    used.add(next);
    page = await fetchPage(next);
  }
}

/** Every item of `list`, or a PaginationError once there are more than `maxItems`. */
export async function collect<T>(list: AsyncIterable<T>, operation: string, maxItems: unknown): Promise<T[]> {
  const max = maxItems === Infinity ? Infinity : count('toArray(maxItems)', maxItems, 10_000, 0, Number.MAX_SAFE_INTEGER);
  const all: T[] = [];
  for await (const item of list) {
    if (all.length === max) throw new PaginationError(operation, `more than ${max} items: raise toArray's maxItems, or walk the list with for await`);
    all.push(item);
  }
  return all;
}
