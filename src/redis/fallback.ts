// A shared rate-limit store (Redis) with this process's own figures behind it. Every send and
// answer is counted in both, so that the local figures are ready when the shared store fails:
// then the client limits with them, logs one warning, asks the shared store again a second
// later, and logs once more when it answers. It lives here, not in the core, so that clients
// without a shared store do not carry it.
import { memoryRateLimitStore } from '../pipeline/rate-limit/store.js';
import { RedisKeyConflictError } from './scripts.js';
import type { Logger } from '../public/logger.js';
import type { RateLimitDecision, RateLimitReport, RateLimitStore, RateLimitTake } from '../public/rate-limit.js';

/** How long the local figures stand in after the shared store failed, before it is asked again. */
const RETRY_SHARED = 1_000;

export function withFallback(shared: RateLimitStore): RateLimitStore {
  const local = memoryRateLimitStore();
  let logger: Logger | undefined;
  let downUntil = 0;
  let down = false;
  /** The shared store's ticket of each send, by the local ticket the limiter holds. */
  const sharedTicket = new Map<number, number>();

  const failed = (error: unknown) => {
    downUntil = Date.now() + RETRY_SHARED;
    if (down) return;
    down = true;
    // A key that holds another store's state is a setting to fix, not an outage: the warning
    // names the option (the key itself only in the error, as the log never names it).
    const why =
      error instanceof RedisKeyConflictError
        ? "the shared rate-limit store's `key` holds what it did not write: give it a key of its own"
        : 'the shared rate-limit store is unreachable';
    logger?.warn(`${why}; limiting with this process's own figures until it answers`, {
      error: error instanceof Error ? error.name : typeof error,
    });
  };
  const answered = () => {
    if (!down) return;
    down = false;
    logger?.info('the shared rate-limit store answers again');
  };

  return {
    attach(context) {
      logger = context.logger;
    },
    take(ask: RateLimitTake) {
      if (ask.now < downUntil) return local.take(ask);
      const onShared = (decision: RateLimitDecision): RateLimitDecision => {
        answered();
        if (!('ticket' in decision)) return decision;
        const ticket = local.spend(Date.now(), ask.budget);
        sharedTicket.set(ticket, decision.ticket);
        return { ticket };
      };
      const onFailure = (error: unknown) => {
        failed(error);
        return local.take({ ...ask, now: Date.now() });
      };
      try {
        const decision = shared.take(ask);
        return decision instanceof Promise ? decision.then(onShared, onFailure) : onShared(decision);
      } catch (error) {
        return onFailure(error);
      }
    },
    report(report: RateLimitReport) {
      local.report(report);
      const ticket = report.ticket === undefined ? undefined : sharedTicket.get(report.ticket);
      if (report.ticket !== undefined) sharedTicket.delete(report.ticket);
      // A send the local figures let out (while the shared store was down) is reported without a ticket.
      if (down) return;
      try {
        const done = shared.report({ ...report, ticket });
        if (done instanceof Promise) done.catch(failed);
      } catch (error) {
        failed(error);
      }
    },
  };
}
