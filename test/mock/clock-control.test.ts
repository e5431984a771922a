// `POST /__mock/clock { set, frozen: true }` must freeze the clock at exactly the time asked
// for. Against a base clock that ticks 1 ms at every read, freezing after setting stood 1 ms
// late (CI saw 00:00:00.001 once, on a real clock that ticked between the two steps).
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/mock/clock.js';
import { controlAnswer, type ControlState } from '../../src/mock/control.js';
import { startMock } from '../../src/mock/index.js';

function stateWith(base: () => number): ControlState {
  return { clock: createClock(base), reset() {}, events: [], outbox: [], violations: [], counts: () => ({}), memory: () => ({}), processorSecret: 'whsec_x' };
}

it('set and freeze in one request: the clock stands at exactly the time set, however the real clock moves', () => {
  let ms = 1_700_000_000_000;
  const state = stateWith(() => ms++);
  const answer = controlAnswer(state, 'POST', '/clock', { set: '2030-01-01T00:00:00Z', frozen: true }, 'req_1');
  expect(answer).toEqual({ status: 200, body: { now: '2030-01-01T00:00:00.000Z', epochMs: Date.parse('2030-01-01T00:00:00Z'), frozen: true } });
  ms += 60_000;
  expect(state.clock.state().now).toBe('2030-01-01T00:00:00.000Z');
  expect(controlAnswer(state, 'POST', '/clock', { advance: '90s' }, 'req_2').body).toMatchObject({ now: '2030-01-01T00:01:30.000Z' });
  expect(controlAnswer(state, 'POST', '/clock', { frozen: 'yes' }, 'req_3').status).toBe(400);
  expect(controlAnswer(state, 'POST', '/clock', { frozen: false }, 'req_4').body).toMatchObject({ frozen: false });
});

describe("the handle's clock refuses what is not its unit", () => {
  // `set` takes ms since the epoch, `advance` ms, `freeze` a boolean. The handle took the text
  // the HTTP endpoint takes (`set('2026-06-20T16:00:00Z')`, `advance('16m')`) and stood at NaN:
  // every later request answered 500.
  it('a string, NaN, Infinity or a missing boolean is a TypeError naming the method and what it takes; the clock and the mock carry on', async () => {
    const mock = await startMock({ rateLimit: false, clock: '2026-06-20T16:00:00Z' });
    try {
      mock.clock.freeze(true);
      mock.clock.set(Date.parse('2026-06-20T16:00:00Z'));
      const before = mock.clock.now();
      const wrong = mock.clock as unknown as Record<'set' | 'advance' | 'freeze', (value?: unknown) => void>;
      expect(() => wrong.set('2026-06-20T16:00:00Z')).toThrow(new TypeError(`mock.clock.set(ms) takes milliseconds since the epoch as a finite number within a Date's range less a century (±8636844240000000), such as Date.parse('2026-06-20T16:00:00Z'), got "2026-06-20T16:00:00Z"`));
      expect(() => wrong.advance('16m')).toThrow(new TypeError('mock.clock.advance(ms) takes milliseconds as a finite number, such as 16 * 60_000 for 16 minutes, got "16m"'));
      expect(() => mock.clock.set(Number.NaN)).toThrow(/^mock\.clock\.set\(ms\) takes .*, got NaN$/);
      expect(() => mock.clock.set(1e300)).toThrow(/^mock\.clock\.set\(ms\) takes .*, got 1e\+300$/);
      expect(() => mock.clock.advance(Number.POSITIVE_INFINITY)).toThrow(/^mock\.clock\.advance\(ms\) takes .*, got Infinity$/);
      expect(() => mock.clock.advance(1e300)).toThrow(TypeError);
      expect(() => wrong.freeze()).toThrow(new TypeError('mock.clock.freeze(frozen) takes true to stop the clock or false to let it run, got undefined'));
      expect(mock.clock.now()).toBe(before);
      expect(mock.clock.state()).toEqual({ now: '2026-06-20T16:00:00.000Z', epochMs: before, frozen: true });
      mock.clock.advance(16 * 60_000);
      expect(mock.clock.state().now).toBe('2026-06-20T16:16:00.000Z');
      const answer = await fetch(`${mock.url}/users/me`, { headers: { authorization: 'Bearer ak_test_AnyWellFormedSandboxKey0001' } });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    } finally {
      await mock.close();
    }
  }, 30_000);

  // set(8.64e15), the last millisecond a Date holds, was taken on a running clock: 1 ms later
  // GET /__mock/clock answered 500 "Invalid time value". The clock keeps a century inside the range.
  it('a time the running clock would carry out of the range of a date is refused; the mock keeps answering', async () => {
    let ms = 1_700_000_000_000;
    const clock = createClock(() => ms);
    expect(() => clock.set(8.64e15)).toThrow(/^mock\.clock\.set\(ms\) takes .*, got 8640000000000000$/);
    expect(() => clock.set(-8.64e15)).toThrow(TypeError);
    expect(() => clock.advance(8.64e15 - ms)).toThrow(/^mock\.clock\.advance\(ms\) takes .*, got /);
    expect(clock.now()).toBe(1_700_000_000_000);
    clock.set(8.5e15);
    ms += 1;
    expect(clock.state()).toEqual({ now: new Date(8.5e15 + 1).toISOString(), epochMs: 8.5e15 + 1, frozen: false });
    const state = stateWith(() => 1_700_000_000_000);
    expect(controlAnswer(state, 'POST', '/clock', { set: new Date(8.64e15).toISOString() }, 'req_1').status).toBe(400);
    expect(controlAnswer(state, 'POST', '/clock', { set: 8.64e15 }, 'req_2').status).toBe(400);
    const mock = await startMock({ rateLimit: false });
    try {
      expect(() => mock.clock.set(8.64e15)).toThrow(TypeError);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await fetch(`${mock.url}/__mock/clock`);
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    } finally {
      await mock.close();
    }
  }, 30_000);

  it('over HTTP, a time or a move past the range of a date is a 400 and the clock stays', () => {
    const state = stateWith(() => 1_700_000_000_000);
    expect(controlAnswer(state, 'POST', '/clock', { set: 1e300, frozen: true }, 'req_1').status).toBe(400);
    expect(controlAnswer(state, 'POST', '/clock', { advance: `1${'0'.repeat(400)}` }, 'req_2').status).toBe(400);
    expect(state.clock.state()).toEqual({ now: new Date(1_700_000_000_000).toISOString(), epochMs: 1_700_000_000_000, frozen: false });
  });
});
