// Who may see a record (`visibleTo` in the spec's rules): the one place that decides it, for the
// target of a request, the ids it references and the rows a list returns. A record the caller
// may not see is answered exactly like a missing one (API brief: another organization's
// resource is a 404, never a 403).
import type { Call, MockEnv } from './engine.js';
import type { Audience } from './rules.js';
import type { Row } from './state.js';

/** The organization a record belongs to (an organization belongs to itself). */
export function organizationOf(collection: string, row: Row): string | undefined {
  if (collection === 'organizations') return row.id;
  const org = row.organizationId ?? row._organizationId;
  return typeof org === 'string' ? org : undefined;
}

/** The caller's base role in an organization, for an active member; undefined otherwise. */
export function roleIn(env: MockEnv, organizationId: string | undefined, userId: string | undefined): string | undefined {
  if (!organizationId || !userId) return undefined;
  return env.store.find('members', (m) => m.organizationId === organizationId && m.userId === userId && m.status === 'active')?.role;
}

/** Whether the caller acts in the organization: an active member, or one of its API keys. */
export function inOrganization(call: Call, env: MockEnv, organizationId: string | undefined): boolean {
  const p = call.principal;
  if (!p || !organizationId) return false;
  if (p.kind === 'key') return p.organizationId === organizationId;
  return roleIn(env, organizationId, p.userId) !== undefined;
}

/** Every organization the caller is an active member of (an API key: its own). */
export function organizationsOf(call: Call, env: MockEnv): string[] {
  const p = call.principal;
  if (!p) return [];
  if (p.kind === 'key') return p.organizationId ? [p.organizationId] : [];
  return env.store.all('members').filter((m) => m.userId === p.userId && m.status === 'active').map((m) => m.organizationId as string);
}

const ownerOf = (row: Row) => row._userId ?? row.userId;

/**
 * What a record leaves behind for `canSee` and a list's own filter once it is gone (state.ts
 * keeps it with the record's place, for a `before` cursor naming it, cursor.ts): the fields they
 * read and nothing else. Its id; every `...Id` field (the owner `userId`/`_userId`, the
 * organization, the chat, the parent a nested list filters on); a chat's participants' user ids.
 * A new audience that reads another field must keep it here too.
 */
export function audienceTrace(row: Row): Row {
  const trace: Row = { id: row.id };
  for (const [field, value] of Object.entries(row)) if (field.endsWith('Id') && typeof value === 'string') trace[field] = value;
  if (Array.isArray(row.participants)) trace.participants = (row.participants as Row[]).map((p) => ({ userId: p.userId }));
  return trace;
}

function participates(env: MockEnv, chat: Row | undefined, userId: string | undefined): boolean {
  return Boolean(chat && userId && (chat.participants as Row[]).some((p) => p.userId === userId));
}

function sees(audience: Audience, collection: string, row: Row, call: Call, env: MockEnv): boolean {
  const userId = call.principal?.userId;
  switch (audience) {
    case 'anyone':
      return call.principal !== undefined;
    case 'members':
      return inOrganization(call, env, organizationOf(collection, row));
    case 'owner':
      return userId !== undefined && ownerOf(row) === userId;
    case 'participants':
      return participates(env, collection === 'chats' ? row : env.store.get('chats', row.chatId), userId);
    case 'contacts':
      return contact(env, call, collection === 'users' ? row.id : ownerOf(row));
    case 'recipients':
      // A message past its `expiresAt` is "deleted for everyone" (MessageCreate.yaml) though the
      // mock never sweeps it: it grants its files to no one (review of the mock, finding 7).
      return (
        (userId !== undefined && ownerOf(row) === userId) ||
        env.store
          .all('messages')
          .some((m) => (m.fileIds as string[] | undefined)?.includes(row.id) && !expired(m, 'expiresAt', env.now()) && participates(env, env.store.get('chats', m.chatId), userId))
      );
  }
}

/** Whether `userId` is the caller, or shares a chat or an organization (both active members) with them. */
function contact(env: MockEnv, call: Call, userId: string | undefined): boolean {
  const me = call.principal?.userId;
  if (!me || !userId) return false;
  if (me === userId) return true;
  if (env.store.all('chats').some((c) => participates(env, c, me) && participates(env, c, userId))) return true;
  const mine = new Set(organizationsOf(call, env));
  return env.store.all('members').some((m) => m.userId === userId && m.status === 'active' && mine.has(m.organizationId));
}

/** Whether the caller may see `row` of `collection` under any of `audiences`. */
export function canSee(call: Call, env: MockEnv, collection: string, row: Row, audiences: Audience[]): boolean {
  return audiences.some((a) => sees(a, collection, row, call, env));
}

/** Whether a record's time field (an `expiresAt`) is in the past on the mock's clock. */
export function expired(row: Row, field: string | undefined, now: number): boolean {
  if (!field) return false;
  const at = row[field];
  return typeof at === 'string' && Date.parse(at) <= now;
}
