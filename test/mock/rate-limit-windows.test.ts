// The limiter's bounded memory never hands out budget: a request refused by its address's spent
// budget creates no window for its credential, and forgetting windows to stay within the cap
// never forgets an address's own. A cap of 3 windows per kind instead of the mock's 10 000, so
// the test needs a handful of takes, not ten thousand requests.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/mock/rate-limit.js';

const clock = { t: Date.parse('2026-06-20T16:00:00Z') };
const limiter = (requests: number) => createRateLimiter({ requests, seconds: 60 }, () => clock.t, 3);
const allowed = (l: ReturnType<typeof limiter>, keys: string[]) => l.take(keys).allowed;

describe('rate-limit windows within their cap', () => {
  it('requests with made-up tokens refused by the spent address budget never give the address a new one', () => {
    const l = limiter(2);
    expect([allowed(l, ['ip:a', 'token:real']), allowed(l, ['ip:a', 'token:real']), allowed(l, ['ip:a', 'token:other'])]).toEqual([true, true, false]);
    const junk = Array.from({ length: 20 }, (_, i) => allowed(l, ['ip:a', `token:junk${i}`]));
    expect(junk.filter(Boolean)).toHaveLength(0);
    const fresh = l.take(['ip:a', 'token:fresh']);
    expect(fresh.allowed).toBe(false);
    expect(fresh.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'retry-after': '60' });
    clock.t += 60_000; // the address's window ends: a new one, a full budget
    expect(allowed(l, ['ip:a', 'token:fresh'])).toBe(true);
  });

  it('one address with a new token on every request gets exactly its budget: forgetting tokens never forgets the address', () => {
    const l = limiter(5);
    const outcomes = Array.from({ length: 12 }, (_, i) => allowed(l, ['ip:b', `token:new${i}`]));
    expect(outcomes.filter(Boolean)).toHaveLength(5);
    expect(outcomes.slice(0, 5).every(Boolean)).toBe(true);
  });

  it('a credential keeps its own budget across addresses while the cap holds', () => {
    const l = limiter(2);
    expect([allowed(l, ['ip:c', 'token:k']), allowed(l, ['ip:d', 'token:k']), allowed(l, ['ip:e', 'token:k'])]).toEqual([true, true, false]);
  });
});
