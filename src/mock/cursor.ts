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
// id exists, across users and organizations. A live record the caller may not see (x-access,
// `audienceRows`) is now answered exactly as a forged id. Still observable: a record that is
// gone keeps only its place, not who could see it, so a gone record of another caller (among
// the last `cap` gone from its collection, state.ts) still continues the walk: it tells a caller
// who already holds the id that the mock held it lately, and nothing of its content or owner.
// Left so because remembering each gone record's audience would need the rows kept past their
// byte cap; ids are random, so this needs an id leaked some other way.
import type { Call, MockEnv } from './engine.js';
import { MockHttpError } from './reply.js';
import type { Row } from './state.js';

const DEFAULT_LIMIT = 50;

function refuse(message: string): never {
  throw new MockHttpError(400, `The before cursor cannot be used: ${message}.`, { details: [{ path: 'before', message }] });
}

/** The rows of `collection` listed after the `before` cursor, in the order given; `seen`: the rows the caller may see. */
function olderThan(rows: Row[], seen: Row[], before: string, collection: string, call: Call, env: MockEnv): Row[] {
  const at = rows.findIndex((r) => r.id === before);
  if (at !== -1) return rows.slice(at + 1);
  // Only the insertion order places a record no longer listed; another order needs the record.
  if (call.query.orderBy !== undefined && call.query.orderBy !== '-createdAt') {
    refuse(`${before} is not in this list in the order ${String(call.query.orderBy)}: pass the id of the last item of the previous page`);
  }
  // A live record must be one the caller may see (filtered out by the query is fine: it has a place
  // in this list's walk); a gone one has only its place (see above).
  const hidden = env.store.get(collection, before) !== undefined && !seen.some((r) => r.id === before);
  const place = hidden ? undefined : env.store.place(collection, before);
  if (place === undefined) refuse(`${before} is not an item of this list: pass the id of the oldest item of the previous page`);
  return rows.filter((r) => (env.store.place(collection, r.id) ?? Infinity) < place);
}

/**
 * One page of `rows` (newest first, or as `orderBy` sorted them): after `before`, at most `limit`.
 * `seen`: every row of the list the caller may see, expired and query-filtered ones included
 * (access.ts `audienceRows`); a `before` naming a live record outside it is refused as forged.
 */
export function cut(rows: Row[], seen: Row[], collection: string, call: Call, env: MockEnv): Row[] {
  const before = call.query.before as string | undefined;
  const limit = Number(call.query.limit ?? DEFAULT_LIMIT);
  return (before === undefined ? rows : olderThan(rows, seen, before, collection, call, env)).slice(0, limit);
}
