import type { Logger } from '../../public/logger.js';
import type { RateLimitTake, RateLimitDecision, RateLimitReport, RateLimitStore } from '../../public/rate-limit.js';
// Where the rate-limit budget lives. The local queue (order, concurrency, deadline, abort) asks
// the store one question per send, "may this one go now, or how long until it may?", and tells
// it what each response reported. The default keeps the figures in this client's memory;
// `@coveton/sdk/redis` keeps them in Redis so that a fleet of processes spends one budget.
// Both follow the same rules, written once here and once in the Redis script. A store keeps
// facts and answers with them (a ticket, or how long until a slot is free); whether a wait is
// worth waiting is the policy's (../policy.ts `decideTurn`).

/** The default store: this client's memory. */
export interface MemoryRateLimitStore extends RateLimitStore {
  take(request: RateLimitTake): RateLimitDecision;
  report(report: RateLimitReport): void;
  /** Counts a send that another store let go, so that these figures stay right for a fallback. */
  spend(now: number, budget: RateLimitTake['budget']): number;
}

/**
 * The default rate-limit store: this client's memory.
 * @param options.learnFirst While no answer has been seen, let one send out at a time, so that
 * a burst at start-up does not overrun a budget nobody knows yet (shared stores do; one client
 * alone does not need to).
 */
export function memoryRateLimitStore(options: { learnFirst?: boolean } = {}): MemoryRateLimitStore {
  /** What is left in the current window: the limit less every send since the window began. */
  let left = Infinity;
  /** Sends since the current window began (the first send after the last one ended). */
  let taken = 0;
  let windowEnd = 0;
  /** The window end at which `left` was last refilled (windows are fixed: one begins where the last ended). */
  let refilledAt = -1;
  /** The last ticket handed out before that refill: sends up to it still out were counted in the new window. */
  let refillSeq = 0;
  let pausedUntil = 0;
  let limit = Infinity;
  let learned = !options.learnFirst;
  let seq = 0;
  let sent: number[] = [];
  /** Tickets of the sends not answered yet. */
  const out = new Set<number>();

  const refill = (now: number, force = false) => {
    if (now < windowEnd || (refilledAt === windowEnd && !force)) return;
    refilledAt = windowEnd;
    refillSeq = seq;
    // Sends still out when the window turned may land in the new one: count them there (and
    // give each back when its answer says the old window counted it).
    taken = out.size;
    left = force ? Math.max(1, limit - taken) : limit - taken;
  };
  const spend = (now: number, budget: RateLimitTake['budget']) => {
    refill(now);
    left--;
    taken++;
    if (budget) sent.push(now);
    out.add(++seq);
    return seq;
  };

  return {
    take({ now, inFlight, budget }) {
      if (!learned && inFlight > 0) return { wait: Infinity, why: 'learning' };
      if (pausedUntil > now) return { wait: pausedUntil - now, why: 'pause' };
      refill(now);
      if (left <= 0 && now >= windowEnd) {
        // Spent since the window that was known ended, and no answer yet says when the new one
        // ends: wait for the answers out; with none out, nobody will tell, so start afresh.
        if (inFlight > 0) return { wait: Infinity, why: 'learning' };
        refill(now, true);
      }
      if (left <= 0) return { wait: windowEnd - now, why: 'window' };
      if (budget) {
        sent = sent.filter((t) => t > now - budget.interval);
        if (sent.length >= budget.requests) return { wait: sent[0]! + budget.interval - now, why: 'budget' };
      }
      return { ticket: spend(now, budget) };
    },
    report({ now, ticket, answered, figures, tooMany }) {
      if (ticket !== undefined) out.delete(ticket);
      if (answered) learned = true;
      if (figures && ticket !== undefined && ticket <= refillSeq && figures.resetAt <= refilledAt && taken > 0) {
        left++;
        taken--;
      }
      if (figures) {
        limit = figures.limit;
        if (figures.resetAt > windowEnd) {
          // The first answer from a new window: its limit less what was sent since it began
          // (exact for our own sends), or what the server says if others spent some too.
          windowEnd = figures.resetAt;
          left = Math.min(figures.limit - taken, figures.remaining);
        } else if (figures.resetAt === windowEnd && windowEnd > now) {
          // Later answers lower it only when someone outside this store spent from the window.
          left = Math.min(left, figures.remaining);
        }
      }
      if (tooMany) {
        // The pause the policy gave (pauseAfter429), or, when the 429 did not say, the window's end.
        const wait = tooMany.pause ?? Math.max(0, windowEnd - now);
        pausedUntil = Math.max(pausedUntil, now + wait);
        // The 429's own Retry-After is the server's last word on when to go on.
        windowEnd = Math.min(windowEnd, pausedUntil);
        left = 0;
      }
    },
    spend,
  };
}
