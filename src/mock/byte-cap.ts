// The one eviction rule of the byte caps that span collections: the records' (state.ts) and the
// traces gone records leave (gone.ts). Past the cap, the collection holding the most bytes gives
// up its oldest entry, so that the collection that fills memory pays for it, not the seeded users
// (review of the mock, finding 2; guide, "Memory").

/**
 * While `over()`, asks `dropOldest` to drop the oldest entry of the collection holding the most
 * bytes (of equals, the first in the map's order); stops once there is no collection, or
 * `dropOldest` answers that it dropped nothing.
 */
export function shedFullest<C extends { bytes: number }>(collections: Map<string, C>, over: () => boolean, dropOldest: (name: string, collection: C) => boolean): void {
  while (over()) {
    let fullest: [string, C] | undefined;
    for (const entry of collections) if (!fullest || entry[1].bytes > fullest[1].bytes) fullest = entry;
    if (!fullest || !dropOldest(fullest[0], fullest[1])) return;
  }
}
