// The mock's memory: one collection per resource path (`api-keys`, `teams`, `messages`, ...),
// records newest first by insertion, and two caps so a long CI run cannot grow the process
// without bound (documented in the guide, "Memory"): a count per collection (past it that
// collection's oldest record is dropped), and a total of bytes across collections, since a
// message alone may carry 1 MiB of ciphertext and 1000 of them made a 1.4 GB process (review of
// the mock, finding 2). Past the byte total, the oldest record of the collection holding the
// most bytes is dropped: the collection that fills memory pays for it, not the seeded users.
// A record's bytes are those of its JSON text, measured when it is put and again after any change
// made in place, by whoever makes it: the store hands out views that report writes (watched.ts),
// and measures each written record once, before the store is next used. No handler has to
// remember to measure what it wrote (hostile review of 8a774a7, finding M2: device registration
// grew every chat of its user, and an API key's `lastUsedAt` changed on GETs, all unmeasured).
// A read measures nothing.
// Each record's place in the insertion order outlives it, with the fields that decide who could
// see it (gone.ts, bounded), so that a list's `before` cursor naming a record since deleted or
// dropped still means "older than it" for a caller who could see it (cursor.ts).
import { audienceTrace } from './audiences.js';
import { shedFullest } from './byte-cap.js';
import { createGoneRecords } from './gone.js';
import { unwatched, watch } from './watched.js';

export type Row = Record<string, any>;

export const DEFAULT_COLLECTION_CAP = 1000;
/** Bytes of records (their JSON text) kept across all collections. */
export const DEFAULT_STATE_BYTES = 64 * 1024 * 1024;

/** The UTF-8 bytes of a value's JSON text: what the mock's byte caps count. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');

export interface Store {
  all(collection: string): Row[];
  get(collection: string, id: string): Row | undefined;
  /** Holds `row` and answers the view of it the store hands out from now on: a change made through the view is measured again. */
  put(collection: string, row: Row): Row;
  remove(collection: string, id: string): boolean;
  find(collection: string, test: (row: Row) => boolean): Row | undefined;
  clear(): void;
  counts(): Record<string, number>;
  /** The bytes the records hold now, as the byte cap counts them. */
  bytes(): number;
  /**
   * Where `id` was put in `collection` (larger is newer), while it is held or, once removed or
   * dropped, among the last `cap` gone from it; undefined for an id it never held or forgot.
   */
  place(collection: string, id: string): number | undefined;
  /** What a gone record left of itself to decide who could see it (audiences.ts `audienceTrace`); undefined while held, or once forgotten. */
  trace(collection: string, id: string): Row | undefined;
  /** The bytes the gone records' traces hold (gone.ts). */
  goneBytes(): number;
}

interface Collection {
  /** The views of the records held (watched.ts): what the store hands out. */
  rows: Map<string, Row>;
  sizes: Map<string, number>;
  bytes: number;
  /** The place of each record held. */
  places: Map<string, number>;
}

export function createStore(cap = DEFAULT_COLLECTION_CAP, byteCap = DEFAULT_STATE_BYTES): Store {
  const collections = new Map<string, Collection>();
  const gone = createGoneRecords(cap);
  let total = 0;
  let next = 0;
  /** The views written through since the store last measured, and their collection. */
  const written = new Map<Row, string>();
  const of = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = { rows: new Map(), sizes: new Map(), bytes: 0, places: new Map() }));
    return c;
  };
  const drop = (name: string, c: Collection, id: string) => {
    const at = c.places.get(id);
    const row = c.rows.get(id);
    if (at !== undefined && row) {
      c.places.delete(id);
      const trace = audienceTrace(row);
      gone.add(name, id, { place: at, trace }, jsonBytes(trace));
    }
    const size = c.sizes.get(id) ?? 0;
    c.sizes.delete(id);
    c.bytes -= size;
    total -= size;
    return c.rows.delete(id);
  };
  const measure = (c: Collection, id: string, row: Row) => {
    const size = jsonBytes(unwatched(row));
    const delta = size - (c.sizes.get(id) ?? 0);
    c.sizes.set(id, size);
    c.bytes += delta;
    total += delta;
  };
  /** Past the byte cap: the oldest record of the fullest collection, never one of `keep` (those just written). */
  const fit = (keep: { has(row: Row): boolean }) =>
    shedFullest(
      collections,
      () => total > byteCap,
      (name, c) => {
        for (const [id, row] of c.rows) if (!keep.has(row)) return drop(name, c, id);
        return false;
      },
    );
  /** Measures each record written through since the last call (once, however many writes), then keeps the cap. */
  const settle = () => {
    if (written.size === 0) return;
    for (const [row, name] of written) {
      const c = collections.get(name);
      const id = unwatched(row).id as string;
      if (c?.rows.get(id) === row) measure(c, id, row);
    }
    // Nothing writes through a view while the cap is kept (drop reads only): `written` is the set to keep.
    fit(written);
    written.clear();
  };
  /** Every use of the store first measures what was written since: its figures are never stale. */
  const settled =
    <A extends unknown[], R>(use: (...args: A) => R) =>
    (...args: A): R => {
      settle();
      return use(...args);
    };
  return {
    // Newest first: a Map keeps insertion order, so reverse it.
    all: settled((name) => [...of(name).rows.values()].reverse()),
    get: settled((name, id) => of(name).rows.get(id)),
    put: settled((name: string, row: Row) => {
      const c = of(name);
      const data = unwatched(row);
      const held = c.rows.get(data.id);
      if (!held) {
        while (c.rows.size >= cap) drop(name, c, c.rows.keys().next().value as string);
        gone.forget(name, data.id);
        c.places.set(data.id, next++);
      }
      const view = held && unwatched(held) === data ? held : watch(data, () => written.set(view, name));
      c.rows.set(data.id, view);
      measure(c, data.id, view);
      fit(new Set([view]));
      return view;
    }),
    remove: settled((name, id) => drop(name, of(name), id)),
    find: settled((name, test) => [...of(name).rows.values()].find(test)),
    clear: () => {
      collections.clear();
      gone.clear();
      written.clear();
      total = 0;
    },
    counts: settled(() => Object.fromEntries([...collections].map(([k, v]) => [k, v.rows.size]))),
    bytes: settled(() => total),
    place: settled((name, id) => collections.get(name)?.places.get(id) ?? gone.get(name, id)?.place),
    trace: settled((name, id) => (collections.get(name)?.rows.has(id) ? undefined : gone.get(name, id)?.trace)),
    goneBytes: settled(() => gone.bytes()),
  };
}
