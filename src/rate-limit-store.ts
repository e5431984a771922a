// Where the rate-limit budget lives. The local queue (order, concurrency, deadline, abort) asks
// the store one question per send, "may this one go now, or how long until it may?", and tells
// it what each response reported. The default keeps the figures in this client's memory;
// `@coveton/sdk/redis` keeps them in Redis so that a fleet of processes spends one budget.
// Both follow the same rules, written once here and once in the Redis script.

/** Asking the store for one send. */
export interface RateLimitTake {
  /** This machine's clock (ms). */
  now: number;
  /** Sends of this process still waiting for their answer. */
  inFlight: number;
  /** The caller's own budget, if any. */
  budget?: { requests: number; interval: number } | undefined;
}

/**
 * The store's answer: a `ticket` (the send may go; hand the ticket back with its answer), or
 * how long to `wait` (ms) and why. `learning` means nobody has seen the server's figures yet
 * and this process has a send out: wait for its answer (`wait` is Infinity).
 */
export type RateLimitDecision = { ticket: number } | { wait: number; why: 'learning' | 'pause' | 'window' | 'budget' };

/** How one send ended: what its response reported, or nothing (no answer came). Once per ticket. */
export interface RateLimitReport {
  now: number;
  /** The ticket of the send this answers. */
  ticket: number | undefined;
  /** A response came (with or without figures); false when the send failed without one. */
  answered: boolean;
  /** The server's figures, when plausible; `resetAt` in ms. */
  figures?: { limit: number; remaining: number; resetAt: number } | undefined;
  /** A 429: its Retry-After (ms, if it said) and the longest pause allowed (`maxRetryAfter`). */
  tooMany?: { retryAfter: number | undefined; maxPause: number } | undefined;
}

/** A rate-limit budget, possibly shared by many processes. Either method may be async. */
export interface RateLimitStore {
  take(request: RateLimitTake): RateLimitDecision | Promise<RateLimitDecision>;
  report(report: RateLimitReport): void | Promise<void>;
}

/** The default store: this client's memory. */
export interface MemoryRateLimitStore extends RateLimitStore {
  take(request: RateLimitTake): RateLimitDecision;
  report(report: RateLimitReport): void;
  /** Counts a send that another store let go, so that these figures stay right for a fallback. */
  spend(now: number, budget: RateLimitTake['budget']): number;
}

/**
 * @param options.learnFirst While no answer has been seen, let one send out at a time, so that
 * a burst at start-up does not overrun a budget nobody knows yet (shared stores do; one client
 * alone does not need to).
 */
export function memoryRateLimitStore(options: { learnFirst?: boolean } = {}): MemoryRateLimitStore {
  /** What is believed left in the current window, counting the sends since the last answer. */
  let left = Number.POSITIVE_INFINITY;
  let windowEnd = 0;
  let pausedUntil = 0;
  let limit = Number.POSITIVE_INFINITY;
  let learned = !options.learnFirst;
  let seq = 0;
  let sent: number[] = [];
  /** Tickets of the sends still out. */
  const out = new Set<number>();

  const spend = (now: number, budget: RateLimitTake['budget']) => {
    left--;
    if (budget) sent.push(now);
    out.add(++seq);
    return seq;
  };

  return {
    take({ now, inFlight, budget }) {
      if (!learned && inFlight > 0) return { wait: Number.POSITIVE_INFINITY, why: 'learning' };
      if (pausedUntil > now) return { wait: pausedUntil - now, why: 'pause' };
      if (left <= 0) {
        if (now < windowEnd) return { wait: windowEnd - now, why: 'window' };
        left = limit; // the window the figures spoke of is over: a fresh one
      }
      if (budget) {
        sent = sent.filter((t) => t > now - budget.interval);
        if (sent.length >= budget.requests) return { wait: sent[0]! + budget.interval - now, why: 'budget' };
      }
      return { ticket: spend(now, budget) };
    },
    report({ now, ticket, answered, figures, tooMany }) {
      if (ticket !== undefined) out.delete(ticket);
      if (answered) learned = true;
      if (figures) {
        // The server's count after this send, less the sends that left after it and are still
        // out (the server may not have counted them yet).
        let later = 0;
        for (const t of out) if (ticket === undefined || t > ticket) later++;
        const estimate = Math.max(0, figures.remaining - later);
        if (figures.resetAt > windowEnd) {
          windowEnd = figures.resetAt;
          left = estimate;
        } else if (figures.resetAt === windowEnd) {
          left = Math.min(left, estimate);
        }
        limit = figures.limit;
      }
      if (tooMany) {
        // Capped: a Retry-After of an hour must not freeze every caller for an hour; past the cap
        // the next request meets the server's 429 again and fails at once in the retry loop.
        const wait = Math.min(tooMany.retryAfter ?? Math.max(0, windowEnd - now), tooMany.maxPause);
        pausedUntil = Math.max(pausedUntil, now + wait);
        // The 429's own Retry-After is the server's last word on when to go on.
        windowEnd = Math.min(windowEnd, pausedUntil);
        left = 0;
      }
    },
    spend,
  };
}
