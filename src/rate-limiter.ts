// The one place that waits for rate limits (API brief: 120 requests a minute per IP and per
// token). Requests queue in order; none is sent while the budget is known to be spent, a 429
// pauses the whole queue for its Retry-After, and an optional concurrency cap and
// requests-per-interval budget smooth bursts. Waiting counts against the caller's deadline and
// signal. The budget itself lives in a store (./rate-limit-store.ts): this client's memory by
// default, or Redis for a fleet (which falls back to this process's figures while Redis is
// away: ./redis/fallback.ts). octokit's throttling plugin queues the same way; the rest is ours.
import { RateLimitedError } from './errors/api-error.js';
import { APITimeoutError, APIUserAbortError } from './errors/transport.js';
import type { HeaderReader } from './http/outgoing.js';
import type { Logger } from './logger.js';
import { readFacts, type RateLimitInfo } from './rate-limit-headers.js';
import { memoryRateLimitStore, type MemoryRateLimitStore, type RateLimitDecision, type RateLimitReport, type RateLimitStore } from './rate-limit-store.js';

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
  /**
   * Where the budget lives. Share one store between the processes that share a token or an
   * IP, so that they spend one budget instead of each believing it has the whole of it.
   * @default this client's memory
   * @example createCoveton({ rateLimit: { store: redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' }) } })
   */
  store?: RateLimitStore;
}

interface LimiterSettings extends RateLimitOptions {
  /** The longest wait taken from a response (the client's `maxRetryAfter`); beyond it, fail fast. */
  maxPause?: number;
  logger?: Logger;
}

interface Waiter {
  resolve(release: () => void): void;
  reject(error: unknown): void;
  deadlineAt: number;
  cleanup(): void;
}

/** The longest setTimeout delay; longer ones fire at once with a TimeoutOverflowWarning. */
const MAX_TIMER = 2 ** 31 - 1;
/** A reset further ahead than this is not a rate-limit window (milliseconds sent as seconds, garbage). */
const PLAUSIBLE_RESET = 24 * 3600_000;

export class RateLimiter {
  #figures: RateLimitInfo | undefined;
  /** The default store, or a shared one (which keeps this process's figures behind it, if it can fail). */
  readonly #store: RateLimitStore;
  readonly #local: MemoryRateLimitStore | undefined;
  /** Tickets of the sends out. */
  #active: number[] = [];
  #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = false;
  #again = false;
  /** The ticket of each turn handed out and not reported yet, by its release function. */
  readonly #tickets = new Map<() => void, number>();

  constructor(private readonly options: LimiterSettings = {}) {
    this.#local = options.store ? undefined : memoryRateLimitStore();
    this.#store = options.store ?? this.#local!;
    if (options.logger) options.store?.attach?.({ logger: options.logger });
  }

  /** The last figures the server reported. */
  get figures(): RateLimitInfo | undefined {
    return this.#figures;
  }

  get #cap(): number {
    return this.options.maxConcurrent ?? Number.POSITIVE_INFINITY;
  }

  /** A turn now, without queueing, when nobody waits and nothing holds us back; else undefined. */
  tryAcquire(): (() => void) | undefined {
    // Only the default store answers at once; a shared one is asked in the queue.
    if (!this.#local || this.#queue.length > 0 || this.#timer !== undefined || this.#pumping) return undefined;
    if (this.#active.length >= this.#cap) return undefined;
    const decision = this.#local.take({ now: Date.now(), inFlight: this.#active.length, budget: this.options.budget });
    return 'ticket' in decision ? this.#turn(decision.ticket) : undefined;
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
        ? setTimeout(() => leave(new APITimeoutError('deadline', 0)), clampTimer(deadlineAt - Date.now()))
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

  /**
   * Reads the figures of a response; a 429 pauses everyone for its Retry-After. `turn` (the
   * release this limiter handed out for the send) says which send it answers.
   */
  observe(status: number, headers: HeaderReader, turn?: () => void): void {
    const now = Date.now();
    // Parsed once per response: the pipeline has read the same facts already.
    const facts = readFacts(headers);
    const figures = facts.rateLimit;
    if (figures) this.#figures = figures;
    const resetAt = figures?.resetAt.getTime();
    const plausible = figures && resetAt! <= now + PLAUSIBLE_RESET;
    const report: Omit<RateLimitReport, 'ticket'> = {
      now,
      answered: true,
      figures: plausible ? { limit: figures.limit, remaining: figures.remaining, resetAt: resetAt! } : undefined,
      tooMany: status === 429 ? { retryAfter: facts.retryAfterMs, maxPause: this.options.maxPause ?? Number.POSITIVE_INFINITY } : undefined,
    };
    const ticket = turn && this.#tickets.get(turn);
    if (ticket !== undefined) {
      this.#tickets.delete(turn!); // reported: its release only gives the turn back
      this.#report(report, ticket);
    } else {
      // An answer without its turn: the oldest send out stands for it (the safe guess: an
      // older ticket is given back only when the answer's window is the old one).
      this.#report(report, this.#active[0]);
    }
    this.#pump();
  }

  #report(report: Omit<RateLimitReport, 'ticket'>, ticket: number | undefined): void {
    try {
      const done = this.#store.report({ ...report, ticket });
      if (done instanceof Promise) done.catch(() => undefined); // (a store logs its own failures)
    } catch {
      // A store that throws on a report only loses that report.
    }
  }

  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pumping = true;
    this.#again = false;
    this.#step();
  }

  #finish(): void {
    this.#pumping = false;
    if (this.#again) this.#pump();
  }

  /** Serves the queue until it is empty or must wait; an async store continues it later. */
  #step(): void {
    while (this.#queue.length > 0 && this.#active.length < this.#cap) {
      const decision = this.#store.take({ now: Date.now(), inFlight: this.#active.length, budget: this.options.budget });
      if (decision instanceof Promise) {
        decision.then(
          (d) => (this.#apply(d) ? this.#step() : this.#finish()),
          () => this.#finish(),
        );
        return;
      }
      if (!this.#apply(decision)) return this.#finish();
    }
    this.#finish();
  }

  /** Acts on a decision for the head of the queue; false when the queue must wait. */
  #apply(decision: RateLimitDecision): boolean {
    const now = Date.now();
    const head = this.#queue[0];
    if ('ticket' in decision) {
      const turn = this.#turn(decision.ticket);
      // The head may have left (abort, deadline) while an async store answered: the next one gets the turn.
      if (!head) {
        turn();
        return false;
      }
      this.#queue.shift();
      head.cleanup();
      head.resolve(turn);
      return true;
    }
    if (!head) return false;
    const { wait, why } = decision;
    const maxPause = this.options.maxPause ?? Number.POSITIVE_INFINITY;
    if ((why === 'window' || why === 'pause') && wait > maxPause) {
      // A wait the server asked for, longer than the client allows: fail now, send nothing.
      this.#queue.shift();
      head.cleanup();
      head.reject(this.#tooLong(wait, maxPause));
      return true;
    }
    if (why !== 'learning' && now + wait > head.deadlineAt) {
      // The turn would come after the deadline: fail now instead of waiting in vain.
      this.#queue.shift();
      head.cleanup();
      head.reject(new APITimeoutError('deadline', Math.max(0, head.deadlineAt - now)));
      return true;
    }
    // While learning, the answer of the send that is out pumps again.
    if (why !== 'learning') this.#timer = setTimeout(() => this.#pump(), clampTimer(wait));
    return false;
  }

  #tooLong(wait: number, maxPause: number): RateLimitedError {
    return new RateLimitedError({
      status: 429,
      code: 'RATE_LIMITED',
      message: `the rate-limit budget is spent for ${Math.ceil(wait / 1000)} s more, longer than maxRetryAfter (${maxPause} ms); nothing was sent.`,
      headers: new Headers(),
      requestId: undefined,
      reason: undefined,
      details: undefined,
      rateLimit: this.#figures,
      retryAfterMs: wait,
      body: undefined,
      endpoint: 'the client-side queue',
    });
  }

  #turn(ticket: number): () => void {
    this.#active.push(ticket);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Every send is reported once: here, if no answer came for it.
      if (this.#tickets.delete(release)) this.#report({ now: Date.now(), answered: false }, ticket);
      this.#active = this.#active.filter((t) => t !== ticket);
      if (this.#queue.length > 0) this.#pump();
    };
    this.#tickets.set(release, ticket);
    return release;
  }
}

function clampTimer(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER);
}
