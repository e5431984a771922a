// The one place that waits for rate limits (API brief: 120 requests a minute per IP and per
// token). Requests queue in order; none is sent while the client knows the window's budget is
// spent, a 429 pauses the whole queue for its Retry-After, and an optional concurrency cap and
// requests-per-interval budget smooth bursts. Waiting counts against the caller's deadline and
// signal. octokit's throttling plugin queues the same way; the whole-queue pause is ours.
import { APITimeoutError, APIUserAbortError } from './errors/transport.js';
import { parseRetryAfter, readRateLimit, type RateLimitInfo } from './rate-limit-headers.js';

/** Client-side rate limiting. */
export interface RateLimitOptions {
  /**
   * At most this many requests in flight at once.
   * @default Infinity
   * @example createCoveton({ rateLimit: { maxConcurrent: 8 } })
   */
  maxConcurrent?: number;
  /**
   * A budget of your own, below the server's: at most `requests` sent per `interval` ms.
   * @default undefined (only the server's figures count)
   * @example createCoveton({ rateLimit: { budget: { requests: 100, interval: 60_000 } } })
   */
  budget?: { requests: number; interval: number };
}

interface LimiterSettings extends RateLimitOptions {
  /** The longest a 429 may pause the queue (the client's `maxRetryAfter`). */
  maxPause?: number;
}

interface Waiter {
  resolve(release: () => void): void;
  reject(error: unknown): void;
  deadlineAt: number;
  cleanup(): void;
}

export class RateLimiter {
  #figures: RateLimitInfo | undefined;
  /** What the client believes is left in the current window, counting its own sends. */
  #left = Number.POSITIVE_INFINITY;
  #windowEnd = 0;
  #pausedUntil = 0;
  #active = 0;
  #sent: number[] = [];
  #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LimiterSettings = {}) {}

  /** The last figures the server reported. */
  get figures(): RateLimitInfo | undefined {
    return this.#figures;
  }

  /** A turn now, without queueing, when nobody waits and nothing holds us back; else undefined. */
  tryAcquire(): (() => void) | undefined {
    if (this.#queue.length > 0 || this.#timer !== undefined) return undefined;
    const now = Date.now();
    if (this.#waitFor(now) > 0 || this.#active >= (this.options.maxConcurrent ?? Number.POSITIVE_INFINITY)) return undefined;
    return this.#take(now);
  }

  /** Waits for a turn; resolves to the function that gives the turn back. */
  acquire(signal: AbortSignal | undefined, deadlineAt: number): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new APIUserAbortError({ cause: signal.reason }));
    return new Promise((resolve, reject) => {
      const leave = (error: unknown) => {
        this.#queue = this.#queue.filter((w) => w !== waiter);
        waiter.cleanup();
        reject(error);
      };
      const onAbort = () => leave(new APIUserAbortError({ cause: signal?.reason }));
      // A wait for a concurrency slot has no timer of its own: the deadline needs one.
      const expiry = Number.isFinite(deadlineAt)
        ? setTimeout(() => leave(new APITimeoutError('deadline', 0)), Math.max(0, deadlineAt - Date.now()))
        : undefined;
      const waiter: Waiter = {
        resolve,
        reject,
        deadlineAt,
        cleanup: () => {
          signal?.removeEventListener('abort', onAbort);
          if (expiry !== undefined) clearTimeout(expiry);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Reads the figures of a response; a 429 pauses everyone for its Retry-After. */
  observe(status: number, headers: Headers): void {
    const figures = readRateLimit(headers);
    const now = Date.now();
    if (figures) {
      const end = figures.resetAt.getTime();
      if (end > this.#windowEnd) {
        // A new window: the server's count, less what we sent since that answer left it.
        this.#windowEnd = end;
        this.#left = Math.max(0, figures.remaining - Math.max(0, this.#active - 1));
      } else if (end === this.#windowEnd) {
        this.#left = Math.min(this.#left, figures.remaining);
      }
      this.#figures = figures;
    }
    if (status === 429) {
      // Capped: a Retry-After of an hour must not freeze every caller for an hour; past the cap
      // the next request meets the server's 429 again and fails at once in the retry loop.
      const wait = Math.min(parseRetryAfter(headers, now) ?? Math.max(0, this.#windowEnd - now), this.options.maxPause ?? Number.POSITIVE_INFINITY);
      this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
      // The 429's own Retry-After is the server's last word on when to go on.
      this.#windowEnd = Math.min(this.#windowEnd, this.#pausedUntil);
      this.#left = 0;
    }
    this.#pump();
  }

  /** How long the head of the queue must still wait, in ms; 0 when it may go now. */
  #waitFor(now: number): number {
    let wait = Math.max(0, this.#pausedUntil - now);
    if (this.#left <= 0 && now < this.#windowEnd) wait = Math.max(wait, this.#windowEnd - now);
    const budget = this.options.budget;
    if (budget) {
      this.#sent = this.#sent.filter((t) => t > now - budget.interval);
      if (this.#sent.length >= budget.requests) wait = Math.max(wait, this.#sent[0]! + budget.interval - now);
    }
    return wait;
  }

  #pump(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const cap = this.options.maxConcurrent ?? Number.POSITIVE_INFINITY;
    while (this.#queue.length > 0) {
      const now = Date.now();
      if (now >= this.#windowEnd && this.#left <= 0 && now >= this.#pausedUntil) this.#left = this.#figures?.limit ?? Number.POSITIVE_INFINITY;
      const head = this.#queue[0]!;
      const wait = this.#waitFor(now);
      if (wait > 0 && now + wait > head.deadlineAt) {
        // The turn would come after the deadline: fail now instead of waiting in vain.
        this.#queue.shift();
        head.cleanup();
        head.reject(new APITimeoutError('deadline', Math.max(0, head.deadlineAt - now)));
        continue;
      }
      if (wait > 0) {
        this.#timer = setTimeout(() => this.#pump(), wait);
        return;
      }
      if (this.#active >= cap) return; // a release pumps again
      this.#queue.shift();
      head.cleanup();
      head.resolve(this.#take(now));
    }
  }

  #take(now: number): () => void {
    this.#active++;
    this.#left--;
    if (this.options.budget) this.#sent.push(now);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      if (this.#queue.length > 0) this.#pump();
    };
  }
}
