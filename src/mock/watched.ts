// How the store (state.ts) hears of every write to a record it holds, wherever the write is made.
// Handlers change records in place: their target (an edited message), but also records that are
// not the request's target (a registered device joins every chat of its user; an API key's
// `lastUsedAt` is set by any request it makes, GETs included; a payment completes a
// subscription). Measuring at call sites missed those, so the byte cap drifted without bound
// (hostile review of 8a774a7, finding M2). The store hands out a view of each record through
// which every set, define and delete, at any depth (`chat.participants[0].deviceIds.push(id)`),
// reports the record as written; the store measures it again before anyone next uses the store.
// Reads report nothing, so a read still measures nothing.
import type { Row } from './state.js';

/** The object behind each view, so that a view assigned into a record is stored as data. */
const targets = new WeakMap<object, object>();

/** Only JSON-shaped data is watched: a Date or a Buffer keeps its own methods working. */
const watchable = (value: unknown): value is object => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || proto === Object.prototype || proto === null;
};

/** The data behind a view (or the value itself). */
export const unwatched = <T>(value: T): T => (typeof value === 'object' && value !== null ? ((targets.get(value) as T | undefined) ?? value) : value);

/** A view of `record` that calls `written` on every change made through it, at any depth. */
export function watch(record: Row, written: () => void): Row {
  const views = new WeakMap<object, object>();
  const view = <T extends object>(value: T): T => {
    let seen = views.get(value);
    if (!seen) {
      seen = new Proxy(value, handler);
      views.set(value, seen);
      targets.set(seen, value);
    }
    return seen as T;
  };
  const handler: ProxyHandler<object> = {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      return watchable(value) ? view(value) : value;
    },
    set(target, key, value) {
      written();
      return Reflect.set(target, key, unwatched(value));
    },
    defineProperty(target, key, descriptor) {
      written();
      return Reflect.defineProperty(target, key, 'value' in descriptor ? { ...descriptor, value: unwatched(descriptor.value) } : descriptor);
    },
    deleteProperty(target, key) {
      written();
      return Reflect.deleteProperty(target, key);
    },
  };
  return view(record);
}

/** A plain deep copy of a record (or a view of one): what `structuredClone` gives for data, which it cannot give for a view. */
export function detached<T>(value: T): T {
  const data = unwatched(value);
  if (Array.isArray(data)) return data.map(detached) as T;
  if (!watchable(data)) return data;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(data)) copy[key] = detached(item);
  return copy as T;
}
