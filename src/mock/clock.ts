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
  now(): number;
  /** Jumps to `ms` since the epoch; a running clock runs on from there. */
  set(ms: number): void;
  advance(ms: number): void;
  /** A frozen clock stands still until it is set, advanced or unfrozen. */
  freeze(frozen: boolean): void;
  state(): ClockState;
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
    set,
    advance: (ms) => set(now() + ms),
    freeze(frozen) {
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
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
