// `before` and `limit`, the paging of every list, in one place: the generic lists (resources.ts)
// and the hand-written ones (users/search, sessions, a chat's and a user's devices) cut the same
// way. Before.yaml: "The id of the oldest item seen so far; the page holds the items older than
// it." Lists are newest first by insertion (state.ts), so older is an earlier place in the
// collection, and a cursor whose record is gone (deleted, expired, dropped by the cap) keeps its
// place: the walk goes on past it. Found by a hostile review: the hand-written lists ignored
// `before` (the SDK's paginator threw "pages do not advance"), and a deleted cursor gave an
// empty page, which a client reads as the end of history. A cursor the collection never held
// (forged, or forgotten long ago) is a 400 naming `before`, not an empty page.
import type { Call, MockEnv } from './engine.js';
import { MockHttpError } from './reply.js';
import type { Row } from './state.js';

const DEFAULT_LIMIT = 50;

function refuse(message: string): never {
  throw new MockHttpError(400, `The before cursor cannot be used: ${message}.`, { details: [{ path: 'before', message }] });
}

/** The rows of `collection` listed after the `before` cursor, in the order given. */
function olderThan(rows: Row[], before: string, collection: string, call: Call, env: MockEnv): Row[] {
  const at = rows.findIndex((r) => r.id === before);
  if (at !== -1) return rows.slice(at + 1);
  // Only the insertion order places a record no longer listed; another order needs the record.
  if (call.query.orderBy !== undefined && call.query.orderBy !== '-createdAt') {
    refuse(`${before} is not in this list in the order ${String(call.query.orderBy)}: pass the id of the last item of the previous page`);
  }
  const place = env.store.place(collection, before);
  if (place === undefined) refuse(`${before} is not an item this list ever held: pass the id of the oldest item of the previous page`);
  return rows.filter((r) => (env.store.place(collection, r.id) ?? Infinity) < place);
}

/** One page of `rows` (newest first, or as `orderBy` sorted them): after `before`, at most `limit`. */
export function cut(rows: Row[], collection: string, call: Call, env: MockEnv): Row[] {
  const before = call.query.before as string | undefined;
  const limit = Number(call.query.limit ?? DEFAULT_LIMIT);
  return (before === undefined ? rows : olderThan(rows, before, collection, call, env)).slice(0, limit);
}
