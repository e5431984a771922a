// Rate limits through the mock: figures count down on every answer, a request past the limit is
// a 429 with Retry-After, and the SDK waits it out. The documented 120 requests, in a 2-second
// window instead of a minute so the test is quick (`--rate-limit 120/2`). Limits count per
// address and per token (test/mock/rules-state.test.ts has each on its own).
import { describe, expect, it } from 'vitest';
import { client, useMock } from './support.js';

const mock = useMock({ rateLimit: { requests: 120, seconds: 2 } });

describe('rate limits', () => {
  it('X-RateLimit-* count down on every answer; past the limit a 429 carries Retry-After', async () => {
    const get = () => fetch(`${mock().url}/utils/authtest`, { headers: { authorization: 'Bearer ak_test_rateLimitCountdown100000' } });
    const first = await get();
    expect(first.headers.get('x-ratelimit-limit')).toBe('120');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('119');
    expect((await get()).headers.get('x-ratelimit-remaining')).toBe('118');
    for (let i = 0; i < 118; i++) await get();
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('130 requests in one window meet the limit and the SDK waits it out: all 130 succeed', async () => {
    mock().reset(); // fresh windows: the test above spent this address's budget
    // The client's own pacing off, so the requests really reach the limit. An API key, not a
    // sign-in: the address's window and the key's then open with the same request and end
    // together. After a sign-in the address's window opened at the login and the token's at the
    // first call; on a loaded machine the two ended far enough apart that the retries the
    // address's Retry-After timed found the token's window still full (12 or 21 429s, not 11).
    const c = client(mock(), { apiKey: 'ak_test_rateLimitWaitsItOut01000', maxRetries: 3, rateLimit: false });
    const before = mock().requests.length;
    const started = Date.now();
    const users = await Promise.all(Array.from({ length: 130 }, () => c.users.getCurrent()));
    expect(users).toHaveLength(130);
    const seen = mock().requests.slice(before).filter((r) => r.path === '/users/me');
    const limited = seen.filter((r) => r.status === 429).length;
    console.log(`130 calls: ${limited} answered 429 and were retried; ${Date.now() - started} ms`);
    // 120 pass in the first window; 10 get a 429 and succeed after waiting Retry-After (at least a second).
    expect(limited).toBe(10);
    expect(seen.filter((r) => r.status === 200)).toHaveLength(130);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
