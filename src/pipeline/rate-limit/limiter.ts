// The one place that waits for rate limits (API brief: 120 requests a minute per IP and per
// token). Requests queue in order; none is sent while the budget is known to be spent, a 429
// pauses the whole queue (for as long as the policy's `pauseAfter429` says), and an optional
// concurrency cap and requests-per-interval budget smooth bursts. The limiter schedules only:
// whether a wait the store gives is waited or refused is the policy's `decideTurn`, and a
// refused turn goes back to the pipeline as facts (it builds the error). The budget itself
// lives in a store (./store.ts): this client's memory by default, or Redis for a fleet (which
// falls back to this process's figures while Redis is away: src/redis/fallback.ts). octokit's
// throttling plugin queues the same way; the rest is ours.
import { APIUserAbortError } from '../../errors/transport.js';
import type { AttemptGate, TurnRefused } from '../attempt.js';
import { decideTurn, pauseAfter429 } from '../policy.js';
import { readFacts } from './headers.js';
import { clampTimer } from '../../util/timers.js';
import { attemptSignal } from '../signal.js';
import { memoryRateLimitStore, type MemoryRateLimitStore } from './store.js';
import type { Logger } from '../../public/logger.js';
import type { RateLimitDecision, RateLimitInfo, RateLimitReport, RateLimitStore } from '../../public/rate-limit.js';
import type { RateLimitOptions } from '../../public/rate-limit.js';

interface LimiterSettings extends RateLimitOptions {
  /** The longest wait taken from a response (the client's `maxRetryAfter`); beyond it, fail fast. */
  maxPause?: number;
  logger?: Logger;
}

interface Waiter {
  resolve(turn: (() => void) | TurnRefused): void;
  reject(error: unknown): void;
  deadlineAt: number;
  cleanup(): void;
}

/** A reset further ahead than this is not a rate-limit window (milliseconds sent as seconds, garbage). */
const PLAUSIBLE_RESET = 24 * 3600_000;

/** The limiter the pipeline's gate is: a queue of waiters in front of a store. */
export interface RateLimiter extends AttemptGate {
  /** The last figures the server reported. */
  readonly figures: RateLimitInfo | undefined;
  /** A turn now, without queueing, when nobody waits and nothing holds us back; else undefined. */
  tryAcquire: AttemptGate['tryAcquire'];
  /** Waits for a turn; resolves to the function that gives the turn back. */
  acquire: AttemptGate['acquire'];
  /**
   * Reads the figures of a response; a 429 pauses everyone for its Retry-After. `release` (the
   * turn this limiter handed out for the send) says which send it answers.
   */
  observe: AttemptGate['observe'];
}

export function createRateLimiter(options: LimiterSettings = {}): RateLimiter {
  const { budget, maxPause = Infinity, maxConcurrent: cap = Infinity } = options;
  let figures: RateLimitInfo | undefined;
  /** The default store answers at once; a shared one is asked in the queue. */
  const local: MemoryRateLimitStore | undefined = options.store ? undefined : memoryRateLimitStore();
  const store: RateLimitStore = options.store ?? local!;
  if (options.logger) options.store?.attach?.({ logger: options.logger });
  /** Tickets of the sends out. */
  const active: number[] = [];
  let queue: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pumping = false;
  let again = false;
  /** The ticket of each turn handed out and not reported yet, by its release function. */
  const tickets = new Map<() => void, number>();

  /** `facts` is made for this report: the ticket goes on it, no copy. */
  const report = (facts: RateLimitReport, ticket: number | undefined): void => {
    facts.ticket = ticket;
    try {
      const done = store.report(facts);
      if (done instanceof Promise) done.catch(() => undefined); // (a store logs its own failures)
    } catch {
      // A store that throws on a report only loses that report.
    }
  };

  const pump = (): void => {
    if (pumping) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    pumping = true;
    again = false;
    step();
  };

  const finish = (): void => {
    pumping = false;
    if (again) pump();
  };

  /** Serves the queue until it is empty or must wait; an async store continues it later. */
  const step = (): void => {
    while (queue.length > 0 && active.length < cap) {
      const decision = store.take({ now: Date.now(), inFlight: active.length, budget });
      if (decision instanceof Promise) {
        decision.then((d) => (apply(d) ? step() : finish()), finish);
        return;
      }
      if (!apply(decision)) return finish();
    }
    finish();
  };

  /** Takes the head of the queue off it with what it waited for: its turn, or the refusal. */
  const serveHead = (head: Waiter, outcome: (() => void) | TurnRefused): true => {
    queue.shift();
    head.cleanup();
    head.resolve(outcome);
    return true;
  };

  /** Acts on a decision for the head of the queue; false when the queue must wait. */
  const apply = (decision: RateLimitDecision): boolean => {
    const now = Date.now();
    const head = queue[0];
    if ('ticket' in decision) {
      const release = turn(decision.ticket);
      // The head may have left (abort, deadline) while an async store answered: the next one gets the turn.
      if (!head) {
        release();
        return false;
      }
      return serveHead(head, release);
    }
    if (!head) return false;
    const verdict = decideTurn(decision, { maxRetryAfter: maxPause, deadlineLeft: head.deadlineAt - now });
    if (verdict.do === 'stop') return serveHead(head, { refused: verdict.because, wait: decision.wait, rateLimit: figures });
    // While learning, the answer of the send that is out pumps again.
    if (decision.why !== 'learning') timer = setTimeout(pump, clampTimer(decision.wait));
    return false;
  };

  const turn = (ticket: number): (() => void) => {
    active.push(ticket);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Every send is reported once: here, if no answer came for it.
      if (tickets.delete(release)) report({ now: Date.now(), ticket, answered: false }, ticket);
      const at = active.indexOf(ticket);
      if (at !== -1) active.splice(at, 1);
      if (queue.length > 0) pump();
    };
    tickets.set(release, ticket);
    return release;
  };

  return {
    get figures() {
      return figures;
    },

    tryAcquire() {
      if (!local || queue.length > 0 || timer !== undefined || pumping || active.length >= cap) return undefined;
      const decision = local.take({ now: Date.now(), inFlight: active.length, budget });
      return 'ticket' in decision ? turn(decision.ticket) : undefined;
    },

    acquire(signal, deadlineAt) {
      if (signal?.aborted) return Promise.reject(new APIUserAbortError({ cause: signal.reason }));
      return new Promise((resolve, reject) => {
        // The wait ends with the caller's signal (followed through its one relay, however many
        // calls wait on it) or with the deadline: an attempt signal without a timeout of its own.
        const wait = attemptSignal(signal, Infinity, deadlineAt - Date.now());
        const waiter: Waiter = { resolve, reject, deadlineAt, cleanup: wait.dispose };
        wait.addEventListener('abort', () => {
          queue = queue.filter((w) => w !== waiter);
          wait.dispose();
          reject(wait.reason);
        });
        queue.push(waiter);
        pump();
      });
    },

    observe(status, headers, release) {
      const now = Date.now();
      // Parsed once per response: the pipeline has read the same facts already.
      const facts = readFacts(headers);
      const latest = facts.rateLimit;
      if (latest) figures = latest;
      const resetAt = latest?.resetAt;
      const plausible = latest && resetAt! <= now + PLAUSIBLE_RESET;
      const answer: RateLimitReport = {
        now,
        ticket: undefined,
        answered: true,
        figures: plausible ? { limit: latest.limit, remaining: latest.remaining, resetAt: resetAt! } : undefined,
        tooMany: status === 429 ? { pause: pauseAfter429(facts.retryAfterMs, maxPause) } : undefined,
      };
      const ticket = release && tickets.get(release);
      if (ticket !== undefined) {
        tickets.delete(release!); // reported: its release only gives the turn back
        report(answer, ticket);
      } else {
        // An answer without its turn: the oldest send out stands for it (the safe guess: an
        // older ticket is given back only when the answer's window is the old one).
        report(answer, active[0]);
      }
      pump();
    },
  };
}
