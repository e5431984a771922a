// Lists return JSON arrays, newest first; `before` = the id of the oldest item seen walks back,
// and a page shorter than `limit` is the last (API brief: Pagination). A PagePromise is both:
// `await` it for the first page, or iterate it item by item or page by page, holding one page
// at a time. The walk, and how it ends against a misbehaving server, is ./page-walk.ts.
import { CovetonError } from '../errors/base.js';
import { loadOnce } from '../util/lazy.js';

/** The walk and its guard (./page-walk.ts), loaded on the first walk: `await` alone needs neither. */
const pageWalk = loadOnce('page walk', () => import('./page-walk.js'));

export type PageFetcher<T> = (before: string | undefined) => Promise<T[]>;

/** A list walk that cannot go on: the server's pages do not advance. `operation` names the list. */
export class PaginationError extends CovetonError {
  override name = 'PaginationError';
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(`${operation}: ${message}`);
  }
}

/**
 * A Promise of the first page (`then`, `catch`, `finally`, as Stripe's and octokit's lists are),
 * and an async iterable of every item.
 */
export class PagePromise<T extends { id: string }> implements Promise<T[]>, AsyncIterable<T> {
  #first: Promise<T[]> | undefined;

  constructor(
    private readonly fetchPage: PageFetcher<T>,
    /** The page size every page asks for (./bind.ts sends it): the caller's `limit`, else the spec's default. */
    private readonly limit: number,
    private readonly start: string | undefined,
    /** The list's name in errors, e.g. `apiKeys.list`. */
    private readonly operation = 'list',
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

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T[] | B> {
    return this.#firstPage().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T[]> {
    return this.#firstPage().finally(onFinally);
  }

  get [Symbol.toStringTag]() {
    return 'PagePromise';
  }

  /** Every page, oldest last, until a short or empty page. */
  async *pages(): AsyncGenerator<T[], void, undefined> {
    const { walk } = await pageWalk();
    yield* walk(this.#firstPage(), () => (this.#first = undefined), this.fetchPage, this.limit, this.start, this.operation);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  /**
   * Collects the list into one array. A list longer than `maxItems` fails with PaginationError
   * instead of filling memory (a server whose pages never end would): for longer lists, raise it
   * (`Infinity` for no cap) or walk them with `for await`, one page in memory at a time. The cap
   * is Stripe's (`autoPagingToArray`).
   * @default { maxItems: 10_000 }
   * @example const keys = await coveton.apiKeys.list().toArray({ maxItems: 50_000 });
   */
  async toArray(options?: { maxItems?: number }): Promise<T[]> {
    return (await pageWalk()).collect(this, this.operation, options?.maxItems);
  }
}
