// The mock's control endpoints under `/__mock/`, outside the API: for CI jobs in any language.
// Reads are GETs; what changes the mock (reset, the clock) is a POST that cors.ts only lets
// through with a JSON content type or an `X-Coveton-Mock` header.
import { settableTime, parseDuration, parseTime, type Clock } from './clock.js';
import { errorReply, type Reply } from './reply.js';

export interface ControlState {
  clock: Clock;
  reset(): void;
  events: unknown[];
  outbox: unknown[];
  violations: unknown[];
  counts(): Record<string, number>;
  /** Bytes held and the cap of each store that holds request-sized data, and of the bodies in flight (guide, "Memory"). */
  memory(): Record<string, { bytes: number; cap: number }>;
  processorSecret: string;
}

const bad = (message: string, id: string) => errorReply(400, message, id, { details: [{ path: 'body', message }] });

/** `POST /__mock/clock` with `{ "set": time }`, `{ "advance": duration }` and/or `{ "frozen": bool }`. */
function moveClock(clock: Clock, body: unknown, id: string): Reply {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(b).some((k) => !['set', 'advance', 'frozen'].includes(k))) {
    return bad('Send { "set": "2026-06-20T16:00:00Z" }, { "advance": "16m" } (or seconds), and/or { "frozen": true }.', id);
  }
  if (b.frozen !== undefined && typeof b.frozen !== 'boolean') return bad('"frozen" must be true or false.', id);
  // Everything is read before anything moves: a request refused leaves the clock as it was.
  const at = b.set === undefined ? undefined : parseTime(b.set);
  if (b.set !== undefined && at === undefined) return bad('"set" must be an RFC 3339 time such as "2026-06-20T16:00:00Z", or milliseconds since the epoch.', id);
  const by = b.advance === undefined ? undefined : parseDuration(b.advance);
  if (b.advance !== undefined && (by === undefined || !settableTime((at ?? clock.now()) + by))) return bad('"advance" must be seconds (960) or a duration such as "16m", "2h", "1d", "500ms", within the range of a date.', id);
  // Freeze before setting: a clock frozen after `set` would stand at the set time plus the
  // milliseconds that passed in between, not at the time the caller asked for.
  if (b.frozen === true) clock.freeze(true);
  if (at !== undefined) clock.set(at);
  if (by !== undefined) clock.advance(by);
  if (b.frozen === false) clock.freeze(false);
  return { status: 200, body: clock.state() };
}

export function controlAnswer(state: ControlState, method: string, path: string, body: unknown, id: string): Reply {
  if (method === 'POST' && path === '/reset') {
    state.reset();
    return { status: 204 };
  }
  if (path === '/clock' && method === 'POST') return moveClock(state.clock, body, id);
  if (method === 'GET') {
    const reads: Record<string, () => unknown> = {
      '/health': () => ({ ok: true }),
      '/clock': () => state.clock.state(),
      '/events': () => state.events,
      '/outbox': () => state.outbox,
      '/violations': () => state.violations,
      '/state': () => state.counts(),
      '/memory': () => state.memory(),
      '/processor': () => ({ secret: state.processorSecret, providers: ['stripe', 'paystack', 'flutterwave'] }),
    };
    const read = reads[path];
    if (read) return { status: 200, body: read() };
  }
  return errorReply(404, `No mock control endpoint ${method} /__mock${path} (GET health, clock, events, outbox, violations, state, memory, processor; POST reset, clock).`, id);
}
