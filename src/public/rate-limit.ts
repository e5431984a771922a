// Client-side rate limiting: the options, the figures a client reports, and the store interface
// (the SPI) that `@coveton/sdk/redis` implements for fleets.
import type { Logger } from './logger.js';


/** Client-side rate limiting. */
export interface RateLimitOptions {
  /**
   * At most this many requests in flight at once.
   * @default Infinity
   * @example createCoveton({ rateLimit: { maxConcurrent: 8 } })
   */
  maxConcurrent?: number | undefined;
  /**
   * A budget of your own, below the server's: at most `requests` sent per `interval` ms.
   * @default undefined (only the server's figures count)
   * @example createCoveton({ rateLimit: { budget: { requests: 100, interval: 60_000 } } })
   */
  budget?: { requests: number; interval: number } | undefined;
  /**
   * Where the budget lives. Share one store between the processes that share a token or an
   * IP, so that they spend one budget instead of each believing it has the whole of it.
   * @default this client's memory
   * @example createCoveton({ rateLimit: { store: redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' }) } })
   */
  store?: RateLimitStore | undefined;
}

/** The last rate-limit figures the server reported. */
export interface RateLimitInfo {
  /** Requests allowed per window (120 a minute per IP and per token). */
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** When the window resets: ms since the epoch, like `Date.now()` (`new Date(resetAt)` for a Date). */
  resetAt: number;
}

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
  /** This machine's clock (ms). */
  now: number;
  /** The ticket of the send this answers. */
  ticket: number | undefined;
  /** A response came (with or without figures); false when the send failed without one. */
  answered: boolean;
  /** The server's figures, when plausible (`resetAt` in ms since the epoch, as in {@link RateLimitInfo}). */
  figures?: { limit: number; remaining: number; resetAt: number } | undefined;
  /**
   * A 429: how long it holds every send (ms), as the client's policy decided (its Retry-After,
   * capped at `maxRetryAfter`); undefined when the 429 did not say (wait for the window's end).
   */
  tooMany?: { pause: number | undefined } | undefined;
}

/** A rate-limit budget, possibly shared by many processes. Either method may be async. */
export interface RateLimitStore {
  /** One send: a ticket (it may go now), or how long to wait. */
  take(request: RateLimitTake): RateLimitDecision | Promise<RateLimitDecision>;
  /** How a send ended; called once per ticket. */
  report(report: RateLimitReport): void | Promise<void>;
  /** Called once by the client that uses the store, with its logger (already filtered by `logLevel`). */
  attach?(context: { logger: Logger }): void;
}
