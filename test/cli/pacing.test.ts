// How long `coveton contract` waits on a 429 (src/cli/contract/pacing.ts waitOf): Retry-After read
// by the SDK's own parser (src/util/retry-after.ts, shown in every shape by
// test/sdk/responses.test.ts), else X-RateLimit-Reset. Pacing had a parser of its own that read
// `1.5` as a date in 2001 (no wait at all), ignored `retry-after-ms`, and took any date
// Date.parse takes; it now waits what the SDK's retries wait.
import { describe, expect, it } from 'vitest';
import { waitOf } from '../../src/cli/contract/pacing.js';

const now = Date.parse('2026-06-01T09:30:00Z');
const wait = (headers: Record<string, string>) => waitOf(new Headers(headers), now);

describe('the wait a 429 names', () => {
  it('Retry-After as the SDK reads it: fractions of seconds, retry-after-ms first, HTTP-dates only', () => {
    expect(wait({ 'retry-after': '1.5' })).toBe(1500);
    expect(wait({ 'retry-after': '1', 'retry-after-ms': '250' })).toBe(250);
    // Not an HTTP-date (RFC 9110 section 5.6.7): absent, so X-RateLimit-Reset decides, else nothing.
    expect(wait({ 'retry-after': '2026-06-01T09:30:09Z' })).toBeUndefined();
    expect(wait({ 'retry-after': '2026-06-01T09:30:09Z', 'x-ratelimit-reset': String(now / 1000 + 4) })).toBe(4000);
  });

  it('unchanged: whole seconds, HTTP-dates, then X-RateLimit-Reset, else no wait named', () => {
    expect(wait({ 'retry-after': ' 2 ' })).toBe(2000);
    expect(wait({ 'retry-after': 'Mon, 01 Jun 2026 09:30:09 GMT' })).toBe(9000);
    expect(wait({ 'retry-after': 'Mon, 01 Jun 2026 09:29:00 GMT' })).toBe(0);
    expect(wait({ 'retry-after': '3', 'x-ratelimit-reset': String(now / 1000 + 30) })).toBe(3000);
    expect(wait({ 'x-ratelimit-reset': String(now / 1000 + 30) })).toBe(30_000);
    expect(wait({ 'x-ratelimit-reset': String(now / 1000 - 30) })).toBe(0);
    expect(wait({ 'retry-after': 'soon' })).toBeUndefined();
    expect(wait({})).toBeUndefined();
  });

  it('a zero retry-after-ms beside Retry-After: 30 is the 30 s, not four tries at once (a review\'s repro)', () => {
    expect(wait({ 'retry-after-ms': '0', 'retry-after': '30' })).toBe(30_000);
    expect(wait({ 'retry-after-ms': '0' })).toBe(0);
  });

  it('an IMF date with a one-digit day is waited for (RFC 9110 5.6.7: recipients robust), not ignored', () => {
    expect(wait({ 'retry-after': 'Mon, 1 Jun 2026 09:30:30 GMT' })).toBe(30_000);
  });
});
