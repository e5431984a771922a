// What a record leaves behind once it is gone (deleted, expired and swept, dropped by a cap), for
// the `before` cursor that names it (cursor.ts): its place in the insertion order, so that the
// walk goes on past it, and its trace (audiences.ts `audienceTrace`: the few fields that decide
// who could see it and which list it was in), so that the walk goes on only for a caller who
// could have been given it. A hostile review found that the place alone let another caller's
// gone record continue anyone's walk, which told a caller holding its id that the mock held it.
// Bounded like the records: the last `cap` gone per collection, and `byteCap` bytes of traces in
// all (a chat's trace holds up to 1000 participant ids); past it the oldest trace of the
// collection holding the most goes. A cursor whose record is forgotten is a 400 like a forged one.
import { shedFullest } from './byte-cap.js';
import type { Row } from './state.js';

/** Bytes of gone records' traces kept across collections. */
export const DEFAULT_GONE_BYTES = 4 * 1024 * 1024;

export interface GoneRecord {
  place: number;
  trace: Row;
}

export interface GoneRecords {
  /** Remembers `id` of `collection`, gone from `place`; `bytes`: its trace's size. */
  add(collection: string, id: string, record: GoneRecord, bytes: number): void;
  get(collection: string, id: string): GoneRecord | undefined;
  /** Forgets `id` (put again: it is held, not gone). */
  forget(collection: string, id: string): void;
  clear(): void;
  bytes(): number;
}

interface Collection {
  records: Map<string, GoneRecord & { bytes: number }>;
  bytes: number;
}

export function createGoneRecords(cap: number, byteCap = DEFAULT_GONE_BYTES): GoneRecords {
  const collections = new Map<string, Collection>();
  let total = 0;
  /** Whether `id` was there to remove. */
  const remove = (c: Collection, id: string | undefined) => {
    if (id === undefined) return false;
    const r = c.records.get(id);
    if (!r) return false;
    c.records.delete(id);
    c.bytes -= r.bytes;
    total -= r.bytes;
    return true;
  };
  const oldest = (c: Collection) => c.records.keys().next().value as string | undefined;
  return {
    add(name, id, record, bytes) {
      let c = collections.get(name);
      if (!c) collections.set(name, (c = { records: new Map(), bytes: 0 }));
      remove(c, id);
      c.records.set(id, { ...record, bytes });
      c.bytes += bytes;
      total += bytes;
      while (c.records.size > cap) remove(c, oldest(c));
      shedFullest(collections, () => total > byteCap, (_, fullest) => remove(fullest, oldest(fullest)));
    },
    get: (name, id) => collections.get(name)?.records.get(id),
    forget(name, id) {
      const c = collections.get(name);
      if (c) remove(c, id);
    },
    clear() {
      collections.clear();
      total = 0;
    },
    bytes: () => total,
  };
}
