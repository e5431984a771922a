// Colour on a terminal only. Node's own `util.styleText` (Node 20.12+) writes the escape codes:
// no dependency to load or keep, and it styles with the same codes every terminal knows. Whether
// to colour is decided here, per stream, once:
// - NO_COLOR (non-empty, https://no-color.org) turns colour off, whatever else is set;
// - FORCE_COLOR turns it on even in a pipe ('0' or 'false' turn it off), as Node reads it;
// - otherwise only a terminal that says it has colours gets them (TERM=dumb has none).
import { styleText } from 'node:util';
import type { Io, OutStream } from './io.js';

export type Paint = (format: 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', text: string) => string;

export function colorEnabled(stream: OutStream, env: Io['env']): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (!stream.isTTY || env.TERM === 'dumb') return false;
  return typeof stream.hasColors === 'function' ? stream.hasColors(env) : true;
}

const plain: Paint = (_format, text) => text;

/** A painter for `stream`: styles text when colour is on there, leaves it as is otherwise. */
export function painter(stream: OutStream, env: Io['env']): Paint {
  // styleText exists from Node 20.12; on an older 20.x the CLI simply stays plain.
  if (typeof styleText !== 'function' || !colorEnabled(stream, env)) return plain;
  // Node 22+ checks process.stdout by itself unless told not to; the decision above is per stream.
  const options = { validateStream: false } as unknown as undefined;
  return (format, text) => (text === '' ? text : styleText(format, text, options));
}

/** API key statuses in colour: green is usable, yellow is paused, red is over. */
export function statusColor(status: string): Parameters<Paint>[0] | undefined {
  return ({ active: 'green', suspended: 'yellow', revoked: 'red', expired: 'dim' } as const)[status as 'active'];
}
