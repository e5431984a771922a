// `before` and `limit`, the paging of every list, in one place: the generic lists (resources.ts)
// and the hand-written ones (users/search, sessions, a chat's and a user's devices) cut the same
// way. Before.yaml: "The id of the oldest item seen so far; the page holds the items older than
// it." Lists are newest first by insertion (state.ts), so older is an earlier place in the
// collection, and a cursor whose record is gone (deleted, expired, dropped by the cap) keeps its
// place: the walk goes on past it. Found by a hostile review: the hand-written lists ignored
// `before` (the SDK's paginator threw "pages do not advance"), and a deleted cursor gave an
// empty page, which a client reads as the end of history. A cursor that is not an item of this
// list (forged, forgotten long ago, or another caller's record) is a 400 naming `before`.
// Found by a second hostile review: the cursor was looked up in the whole collection, so Eve's
// `before=<Mal's session id>` was a 200 and a forged id a 400, which told any caller whether an
// id exists, across users and organizations. Then a third: a gone record kept only its place,
// not who could see it, so Mal's deleted session still continued Eve's walk. Now one test
// decides for a live record and a gone one alike: the list's `belongs` (the caller may see it,
// x-access `audienceRows`, and it is of this list), asked of the record, or of the trace a gone
// one left (audiences.ts `audienceTrace`, kept by state.ts). Whatever fails it is answered
// exactly as a forged id; the caller's own deleted record still continues the walk.
import type { Call, MockEnv } from './engine.js';
import { MockHttpError } from './reply.js';
import type { Row } from './state.js';

const DEFAULT_LIMIT = 50;

function refuse(message: string): never {
  throw new MockHttpError(400, `The before cursor cannot be used: ${message}.`, { details: [{ path: 'before', message }] });
}

/** The rows of `collection` listed after the `before` cursor, in the order given. */
function olderThan(rows: Row[], belongs: (row: Row) => boolean, before: string, collection: string, call: Call, env: MockEnv): Row[] {
  const at = rows.findIndex((r) => r.id === before);
  if (at !== -1) return rows.slice(at + 1);
  // Only the insertion order places a record no longer listed; another order needs the record.
  if (call.query.orderBy !== undefined && call.query.orderBy !== '-createdAt') {
    refuse(`${before} is not in this list in the order ${String(call.query.orderBy)}: pass the id of the last item of the previous page`);
  }
  // A live record filtered out by the query or expired has a place in this walk, as has a gone
  // one: either only if the caller could have been given it from this list.
  const named = env.store.get(collection, before) ?? env.store.trace(collection, before);
  const place = named && belongs(named) ? env.store.place(collection, before) : undefined;
  if (place === undefined) refuse(`${before} is not an item of this list: pass the id of the oldest item of the previous page`);
  return rows.filter((r) => (env.store.place(collection, r.id) ?? Infinity) < place);
}

/**
 * One page of `rows` (newest first, or as `orderBy` sorted them): after `before`, at most `limit`.
 * `belongs`: whether a record (live, or the trace of a gone one) is of this list for this caller,
 * expired and query-filtered ones included; a `before` naming any other is refused as forged.
 */
export function cut(rows: Row[], belongs: (row: Row) => boolean, collection: string, call: Call, env: MockEnv): Row[] {
  const before = call.query.before as string | undefined;
  const limit = Number(call.query.limit ?? DEFAULT_LIMIT);
  return (before === undefined ? rows : olderThan(rows, belongs, before, collection, call, env)).slice(0, limit);
}
