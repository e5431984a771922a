// Rate-limit windows are about the caller's real pace, so they run on real time, not on the
// mock's movable clock (expiry does). When they ran on the clock, a clock moved 16 minutes ahead
// sent an `X-RateLimit-Reset` 16 minutes in the future; the SDK compares it with real time, and
// once a window was spent it refused calls for that whole distance (RateLimitedError "spent for
// 965 s more") instead of waiting the few real seconds left of the window.
import { describe, expect, it } from 'vitest';
import { client, useMock } from './support.js';

const mock = useMock({ rateLimit: { requests: 5, seconds: 4 } });
const KEY = 'ak_test_rateLimitRealTime0000001';

describe('rate limits on real time, whatever the mock clock says', () => {
  it('a clock 16 minutes ahead: the SDK waits the real rest of a spent window, and every call succeeds', async () => {
    mock().clock.advance(16 * 60_000);
    const c = client(mock(), { apiKey: KEY });
    const before = mock().requests.length;
    const started = Date.now();
    for (let i = 0; i < 8; i++) await c.users.getCurrent();
    const elapsed = Date.now() - started;
    const seen = mock().requests.slice(before);
    expect(seen.map((r) => r.status)).toEqual(Array(8).fill(200)); // paced by the headers: no 429 needed
    // Five pass in the first 4-second window; the sixth waits for the next (the reset is in whole
    // seconds, so up to a second more), never the clock's 16 minutes.
    expect(elapsed).toBeGreaterThanOrEqual(2_500);
    expect(elapsed).toBeLessThan(7_000);
  }, 15_000);

  it("X-RateLimit-Reset and a 429's Retry-After are within the window of real now", async () => {
    mock().reset();
    mock().clock.advance(16 * 60_000);
    const get = () => fetch(`${mock().url}/users/me`, { headers: { authorization: `Bearer ${KEY}` } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await get());
    const now = Date.now() / 1000;
    const reset = Number(answers[0]!.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 5);
    expect(answers[5]!.status).toBe(429);
    expect(Number(answers[5]!.headers.get('retry-after'))).toBeLessThanOrEqual(4);
    for (const a of answers) await a.arrayBuffer();
  });
});
