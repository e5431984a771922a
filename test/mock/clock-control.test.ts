// `POST /__mock/clock { set, frozen: true }` must freeze the clock at exactly the time asked
// for. Against a base clock that ticks 1 ms at every read, freezing after setting stood 1 ms
// late (CI saw 00:00:00.001 once, on a real clock that ticked between the two steps).
import { expect, it } from 'vitest';
import { createClock } from '../../src/mock/clock.js';
import { controlAnswer, type ControlState } from '../../src/mock/control.js';

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
