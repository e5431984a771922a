// `x-access`, enforced for every operation from the spec (format: spec/README.md), in the API's
// order: the caller kind, the API key's scope, the target record and the ids the request names
// (404 when the caller may not see them), then the 403s of `require`. What it found (the target,
// the organization acted in) goes to the invariants, the handler and the audit log.
import { canSee, expired, organizationOf, roleIn } from './audiences.js';
import { runCheck } from './checks.js';
import { holds } from './credentials.js';
import type { AccessContext, Call, MockEnv } from './engine.js';
import { field, readRef, same } from './refs.js';
import { forbidden, MockHttpError } from './reply.js';
import type { AccessRules, ReferenceRule, TargetRule } from './rules.js';
import type { Row } from './state.js';

/** `organizations` -> `organization`, `api-keys` -> `API key` (for messages). */
export function singular(collection: string): string {
  if (collection === 'api-keys') return 'API key';
  return collection.replace(/ies$/, 'y').replace(/s$/, '').replace(/-/g, ' ');
}

const notFound = (collection: string, match: string | undefined, id: unknown) =>
  new MockHttpError(404, `No ${singular(collection)} with ${match ?? 'id'} ${match === 'token' ? '(hidden)' : String(id)} is visible to the caller.`);

function find(env: MockEnv, collection: string, id: unknown, match: string | undefined, organizationId?: unknown): Row | undefined {
  if (match === undefined && organizationId === undefined) return env.store.get(collection, String(id));
  return env.store.find(collection, (r) => same(field(r, match ?? 'id'), id) && (organizationId === undefined || organizationOf(collection, r) === organizationId));
}

function loadTarget(call: Call, env: MockEnv, rule: TargetRule): Row | undefined {
  const scope = { call, env };
  const id = readRef(rule.id, scope);
  if (id === undefined || id === null) return undefined;
  const within = rule.organization ? readRef(rule.organization, scope) : undefined;
  const row = find(env, rule.collection, id, rule.match, within);
  if (!row || !canSee(call, env, rule.collection, row, rule.visibleTo) || expired(row, rule.expires, env.now())) throw notFound(rule.collection, rule.match, id);
  return row;
}

function checkReference(call: Call, env: MockEnv, rule: ReferenceRule, organizationId: string | undefined): void {
  const value = readRef(rule.ids, { call, env });
  if (value === undefined || value === null) return;
  if (rule.sameOrganization && organizationId === undefined) return;
  for (const id of Array.isArray(value) ? value : [value]) {
    const row = find(env, rule.collection, id, rule.match);
    const seen = row && canSee(call, env, rule.collection, row, rule.visibleTo);
    if (!seen || (rule.sameOrganization && organizationOf(rule.collection, row) !== organizationId)) throw notFound(rule.collection, rule.match, id);
  }
}

/** Everything `x-access` allows or refuses, after the credential was checked. */
export function authorize(call: Call, env: MockEnv, rules: AccessRules): AccessContext {
  const p = call.principal;
  if (rules.caller === 'user' && p?.kind !== 'user') throw forbidden('user_required', `${call.op.method.toUpperCase()} ${call.op.path} needs a signed-in user's access token; an API key cannot do this.`);
  if (rules.scope && p?.kind === 'key' && !holds(p.permissions, rules.scope)) {
    throw forbidden('insufficient_scope', `This API key lacks the \`${rules.scope}\` scope that ${call.op.method.toUpperCase()} ${call.op.path} needs.`);
  }
  const target = rules.target ? loadTarget(call, env, rules.target) : undefined;
  const organizationId = target && rules.target ? organizationOf(rules.target.collection, target) : p?.organizationId;
  const ctx: AccessContext = { target, organizationId, effect: {} };
  for (const ref of rules.references ?? []) checkReference(call, env, ref, target ? organizationId : undefined);
  for (const rule of rules.require ?? []) {
    if ('roles' in rule) {
      // API keys are not members: their scope decides (checked above).
      if (p?.kind === 'key') continue;
      const role = roleIn(env, organizationId, p?.userId);
      if (!role || !rule.roles.includes(role)) {
        throw forbidden(rule.reason, `Only the organization's ${rule.roles.join(' or ')}${rule.roles.length > 1 ? 's' : ''} may do this${role ? `; the caller is a ${role}` : ''}.`);
      }
    } else if ('self' in rule) {
      if (!target || target[rule.self] !== p?.userId) throw forbidden(rule.reason, `Refused: the ${singular(rules.target!.collection)}'s ${rule.self} is another user.`);
    } else if (!runCheck(rule.check, call, env, ctx)) {
      throw forbidden(rule.reason, `Refused: ${rule.when}.`);
    }
  }
  return ctx;
}

/** The rows of a list the caller may see, expired ones included: `lists.visibleTo`, or the target's own rows. */
export function audienceRows(call: Call, env: MockEnv, rules: AccessRules, rows: Row[]): Row[] {
  const lists = rules.lists;
  if (!lists) return rows;
  if (lists.visibleTo) return rows.filter((r) => canSee(call, env, lists.collection, r, lists.visibleTo!));
  if (call.ctx.target && rules.target) {
    const target = call.ctx.target;
    return rows.filter((r) =>
      rules.target!.collection === 'organizations' ? organizationOf(lists.collection, r) === target.id : r[`${singular(rules.target!.collection).replace(/ /g, '')}Id`] === target.id,
    );
  }
  return rows;
}

/**
 * Whether a record, or the trace a gone one left (audiences.ts `audienceTrace`), is one this list
 * may show the caller, expired or not: `of` (the list's own filter, such as a chat's messages)
 * and `audienceRows`. A `before` cursor may name such a record and no other (cursor.ts).
 */
export const mayList =
  (call: Call, env: MockEnv, rules: AccessRules, of: (row: Row) => boolean = () => true) =>
  (row: Row): boolean =>
    of(row) && audienceRows(call, env, rules, [row]).length > 0;

/** Of `rows` (already the caller's audience), those not expired. */
function unexpired(env: MockEnv, rules: AccessRules, rows: Row[]): Row[] {
  const expires = rules.lists?.expires;
  const now = env.now();
  return rows.filter((r) => !expired(r, expires, now));
}

/** The rows of a list the caller may see (`audienceRows`), and not expired. */
export const visibleRows = (call: Call, env: MockEnv, rules: AccessRules, rows: Row[]): Row[] => unexpired(env, rules, audienceRows(call, env, rules, rows));
