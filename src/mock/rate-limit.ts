// Rate limits as the API states them (seed 002, "Rate limits"): 120 requests a minute, enforced
// both per IP address and per token, in fixed windows on real time (not the mock's movable clock:
// a client compares X-RateLimit-Reset with its own clock). A request counts
// against its address and, when it carries a credential, against that credential too; it passes
// only when both have budget left. Every answer carries the tighter of the two budgets; past
// either limit the answer is a 429 with `Retry-After` in seconds. Keys are `<kind>:<id>`
// (`ip:...`, `token:...`).
export interface RateLimitSetting {
  requests: number;
  seconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSetting = { requests: 120, seconds: 60 };
const MAX_TRACKED = 10_000;

/** Parses `<requests>/<seconds>` or `off` (the `--rate-limit` option). */
export function parseRateLimit(text: string): RateLimitSetting | false {
  if (text === 'off') return false;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const requests = Number(m?.[1]);
  const seconds = Number(m?.[2]);
  if (!m || requests < 1 || seconds < 1) throw new Error(`expected <requests>/<seconds> (e.g. 120/60) or off, got "${text}"`);
  return { requests, seconds };
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export interface RateLimiter {
  /** Counts one request against every key (`ip:...`, `token:...`), if all have budget left. */
  take(keys: string[]): RateDecision;
  /** The figures for `keys` without counting a request (for the mock's control endpoints). */
  peek(keys: string[]): RateDecision;
  clear(): void;
}

interface Window {
  start: number;
  count: number;
}

/** The kind of a key (`ip`, `token`): each kind has its own windows and its own cap. */
const kindOf = (key: string) => key.slice(0, key.indexOf(':') + 1);

export function createRateLimiter(setting: RateLimitSetting | false, now: () => number, maxTracked = MAX_TRACKED): RateLimiter {
  // Memory is bounded per kind, so made-up tokens can only push out other tokens' windows, never
  // an address's: every request counts against its address, which therefore still binds. Within a
  // kind the least recently used window goes first (a Map keeps insertion order; a use re-inserts).
  const kinds = new Map<string, Map<string, Window>>();
  const span = setting ? setting.seconds * 1000 : 0;
  const current = (key: string, t: number): Window | undefined => {
    const w = kinds.get(kindOf(key))?.get(key);
    return w && t >= w.start && t < w.start + span ? w : undefined;
  };
  const count = (key: string, t: number) => {
    const kind = kindOf(key);
    const windows = kinds.get(kind) ?? kinds.set(kind, new Map()).get(kind)!;
    const w = current(key, t) ?? { start: t, count: 0 };
    windows.delete(key);
    if (windows.size >= maxTracked) windows.delete(windows.keys().next().value as string);
    windows.set(key, { start: w.start, count: w.count + 1 });
  };
  const decide = (keys: string[], take: boolean): RateDecision => {
    if (!setting) return { allowed: true, headers: {} };
    const t = now();
    // A key without a running window has its whole budget; it gets a window only when a request
    // it allows is counted, so a refused request leaves nothing behind.
    let all = keys.map((k) => current(k, t) ?? { start: t, count: 0 });
    const allowed = all.every((w) => w.count < setting.requests);
    if (allowed && take) {
      for (const k of keys) count(k, t);
      all = keys.map((k) => current(k, t)!);
    }
    // The binding window: the one with the least budget left (on a tie, the one that resets last).
    const tight = all.reduce((a, b) => (b.count > a.count || (b.count === a.count && b.start > a.start) ? b : a));
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(setting.requests),
      'x-ratelimit-remaining': String(Math.max(0, setting.requests - tight.count)),
      'x-ratelimit-reset': String(Math.ceil((tight.start + span) / 1000)),
    };
    if (!allowed) {
      const blocking = all.filter((w) => w.count >= setting.requests);
      const wait = Math.max(...blocking.map((w) => w.start + span - t));
      headers['retry-after'] = String(Math.max(1, Math.ceil(wait / 1000)));
    }
    return { allowed, headers };
  };
  return {
    take: (keys) => decide(keys, true),
    peek: (keys) => decide(keys, false),
    clear: () => kinds.clear(),
  };
}
