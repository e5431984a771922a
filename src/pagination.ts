// Lists return JSON arrays, newest first; `before` = the id of the oldest item seen walks back,
// and a page shorter than `limit` is the last (API brief: Pagination). A PagePromise is both:
// `await` it for the first page, or iterate it item by item or page by page, holding one page
// at a time.
import { CovetonError } from './errors/base.js';

export type PageFetcher<T> = (before: string | undefined) => Promise<T[]>;

export class PagePromise<T extends { id: string }> implements PromiseLike<T[]>, AsyncIterable<T> {
  #first: Promise<T[]> | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    /** The page size the server uses for this call: the caller's `limit`, else the spec's default. */
    private readonly limit: number,
    private readonly start: string | undefined,
  ) {}

  #firstPage(): Promise<T[]> {
    this.#first ??= this.fetchPage(this.start);
    return this.#first;
  }

  then<A = T[], B = never>(
    onFulfilled?: ((page: T[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  /** Every page, oldest last, until a short or empty page. */
  async *pages(): AsyncGenerator<T[], void, undefined> {
    let page = await this.#firstPage();
    this.#first = undefined; // let the first page go once the walk moves on
    let cursor = this.start;
    for (;;) {
      if (page.length === 0) return;
      const oldest = page[page.length - 1]!.id;
      if (cursor !== undefined && page.some((item) => item.id === cursor)) {
        // A server that ignores `before` would loop forever: stop before handing the page over.
        throw new CovetonError(`Pagination did not advance: the page before "${cursor}" holds "${cursor}" itself.`);
      }
      yield page;
      if (page.length < this.limit) return;
      cursor = oldest;
      page = await this.fetchPage(cursor);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  /** Collects every item into one array; mind the memory on long lists. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
