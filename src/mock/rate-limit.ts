// Rate limits as the API states them (seed 002, "Rate limits"): 120 requests a minute by default,
// counted per token (per client address for requests without one) in fixed windows. Every answer
// carries the figures; past the limit the answer is a 429 with `Retry-After` in seconds.
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
  take(key: string): RateDecision;
  clear(): void;
}

export function createRateLimiter(setting: RateLimitSetting | false, now: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key) {
      if (!setting) return { allowed: true, headers: {} };
      const t = now();
      const span = setting.seconds * 1000;
      let w = windows.get(key);
      if (!w || t >= w.start + span) {
        if (!w && windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value as string);
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      const reset = w.start + span;
      const allowed = w.count < setting.requests;
      if (allowed) w.count++;
      const headers: Record<string, string> = {
        'x-ratelimit-limit': String(setting.requests),
        'x-ratelimit-remaining': String(Math.max(0, setting.requests - w.count)),
        'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
      };
      if (!allowed) headers['retry-after'] = String(Math.max(1, Math.ceil((reset - t) / 1000)));
      return { allowed, headers };
    },
    clear: () => windows.clear(),
  };
}
