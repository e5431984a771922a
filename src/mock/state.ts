// The mock's memory: one collection per resource path (`api-keys`, `teams`, `messages`, ...),
// records newest first by insertion, and a fixed cap per collection so a long CI run cannot grow
// the process without bound: past the cap the oldest record is dropped (documented in the guide).
export type Row = Record<string, any>;

export const DEFAULT_COLLECTION_CAP = 1000;

export interface Store {
  all(collection: string): Row[];
  get(collection: string, id: string): Row | undefined;
  put(collection: string, row: Row): Row;
  remove(collection: string, id: string): boolean;
  find(collection: string, test: (row: Row) => boolean): Row | undefined;
  clear(): void;
  counts(): Record<string, number>;
}

export function createStore(cap = DEFAULT_COLLECTION_CAP): Store {
  const collections = new Map<string, Map<string, Row>>();
  const of = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new Map()));
    return c;
  };
  return {
    // Newest first: a Map keeps insertion order, so reverse it.
    all: (name) => [...of(name).values()].reverse(),
    get: (name, id) => of(name).get(id),
    put(name, row) {
      const c = of(name);
      if (!c.has(row.id)) {
        while (c.size >= cap) c.delete(c.keys().next().value as string);
      }
      c.set(row.id, row);
      return row;
    },
    remove: (name, id) => of(name).delete(id),
    find: (name, test) => [...of(name).values()].find(test),
    clear: () => collections.clear(),
    counts: () => Object.fromEntries([...collections].map(([k, v]) => [k, v.size])),
  };
}
