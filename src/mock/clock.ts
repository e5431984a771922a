// The mock's clock: every expiry (access tokens, presigned URLs, reset tokens, invites, API keys,
// messages) reads it, so a test in any language can move time over HTTP (`/__mock/clock`) instead
// of waiting: set it, advance it, or freeze it. Rate-limit windows do not: they measure the
// caller's real pace, and a client compares their reset with its own clock (index.ts).

export interface ClockState {
  /** RFC 3339. */
  now: string;
  epochMs: number;
  frozen: boolean;
}

export interface Clock {
  /** The mock's time, in milliseconds since the epoch. */
  now(): number;
  /**
   * Jumps to `ms` milliseconds since the epoch (`Date.parse('2026-06-20T16:00:00Z')`, not the
   * text); a running clock runs on from there. Anything but a finite number within the range of
   * a `Date`, less a century so that the running clock stays in it, throws a TypeError, and the
   * clock stays where it was.
   */
  set(ms: number): void;
  /**
   * Moves the clock `ms` milliseconds (`16 * 60_000`, not `'16m'`; below 0 moves it back).
   * Anything but a finite number throws a TypeError, and the clock stays where it was.
   */
  advance(ms: number): void;
  /**
   * `true` stops the clock where it is until it is set, advanced or unfrozen; `false` lets it
   * run on from where it stands. Anything but a boolean throws a TypeError.
   */
  freeze(frozen: boolean): void;
  state(): ClockState;
}

/** The largest distance from the epoch a `Date` holds (ECMA-262, "Time Values and Time Range"). */
const MAX_TIME = 8.64e15;

/**
 * How far inside a `Date`'s range the clock may be put: a running clock moves on from where it is
 * set, and `set(8.64e15)` (the last millisecond a `Date` holds) left the range 1 ms later, so every
 * answer that shows the time became a 500 "Invalid time value". A century of running is more than
 * any mock process lives, and no test needs a time within a century of year 275760.
 */
const RUNNING_MARGIN = 100 * 365.25 * 86_400_000;

/** The largest distance from the epoch the clock may be set or advanced to. */
const MAX_SETTABLE = MAX_TIME - RUNNING_MARGIN;

/**
 * Whether `ms` is a time the clock may stand at: one a `Date` can hold (the clock's `state()`
 * writes it as RFC 3339) and will still hold after a century of running.
 */
export const settableTime = (ms: number) => Number.isFinite(ms) && Math.abs(ms) <= MAX_SETTABLE;

/**
 * A value the handle's caller passed that the clock cannot take, refused before it moves: a
 * `NaN` clock (from `set('2026-06-20T16:00:00Z')` or `advance('16m')`) made every later request
 * a 500.
 */
function refuse(signature: string, takes: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' || typeof value === 'boolean' || value == null ? String(value) : typeof value;
  throw new TypeError(`mock.clock.${signature} takes ${takes}, got ${shown}`);
}

/** A clock on top of `base` (the real time, or a test's own function), starting at `start`. */
export function createClock(base: () => number = Date.now, start?: number): Clock {
  let offset = start === undefined ? 0 : start - base();
  let frozenAt: number | undefined;
  const now = () => frozenAt ?? base() + offset;
  const set = (ms: number) => {
    if (frozenAt !== undefined) frozenAt = ms;
    else offset = ms - base();
  };
  return {
    now,
    set(ms) {
      if (typeof ms !== 'number' || !settableTime(ms)) refuse('set(ms)', `milliseconds since the epoch as a finite number within a Date's range less a century (±${MAX_SETTABLE}), such as Date.parse('2026-06-20T16:00:00Z')`, ms);
      set(ms);
    },
    advance(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) refuse('advance(ms)', 'milliseconds as a finite number, such as 16 * 60_000 for 16 minutes', ms);
      const to = now() + ms;
      if (!settableTime(to)) refuse('advance(ms)', `milliseconds that keep the clock within a Date's range less a century (±${MAX_SETTABLE} ms from the epoch)`, ms);
      set(to);
    },
    freeze(frozen) {
      if (typeof frozen !== 'boolean') refuse('freeze(frozen)', 'true to stop the clock or false to let it run', frozen);
      if (frozen && frozenAt === undefined) frozenAt = now();
      if (!frozen && frozenAt !== undefined) {
        offset = frozenAt - base();
        frozenAt = undefined;
      }
    },
    state: () => ({ now: new Date(now()).toISOString(), epochMs: now(), frozen: frozenAt !== undefined }),
  };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `960` (seconds), `"960s"`, `"16m"`, `"2h"`, `"1d"` or `"250ms"`, in ms. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  return m ? Number(m[1]) * UNITS[m[2] ?? 's']! : undefined;
}

/** A time as RFC 3339 text or ms since the epoch. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number') return settableTime(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(value);
  return settableTime(ms) ? ms : undefined;
}
