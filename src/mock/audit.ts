// `x-audit`: after a successful answer, the entries the spec names are appended to the audit log
// of the organization acted in (or of each organization the caller belongs to). The log is
// append-only: no operation changes or deletes an entry; `listAuditLogs` reads it.
import { organizationsOf } from './audiences.js';
import type { AccessContext, Call, MockEnv } from './engine.js';
import { readRef, type RefScope } from './refs.js';
import type { AuditRule } from './rules.js';
import type { Row } from './state.js';
import { newId } from '../tools/ids.js';

function actorOf(rule: AuditRule, call: Call, env: MockEnv) {
  const p = call.principal;
  if (rule.actor === 'system' || !p) return { type: 'system', id: null, displayName: null };
  if (p.kind === 'user') return { type: 'user', id: p.userId, displayName: env.store.get('users', p.userId)?.displayName ?? null };
  const key = p.keyId ? env.store.get('api-keys', p.keyId) : undefined;
  return { type: 'api_key', id: p.keyId ?? null, displayName: key?.name ?? null };
}

function applies(condition: string | undefined, scope: RefScope): boolean {
  if (!condition) return true;
  const [ref, expected] = condition.split(' == ');
  const value = readRef(ref!, scope);
  return expected === undefined ? value !== undefined && value !== null : String(value) === expected;
}

/** Appends the entries of `rules` that apply to this successful call. */
export function writeAudit(rules: AuditRule[], call: Call, env: MockEnv, ctx: AccessContext, before: Row | undefined, response: unknown): void {
  const scope: RefScope = { call, env, target: before, response, effect: ctx.effect };
  for (const rule of rules) {
    if (!applies(rule.if, scope)) continue;
    const organizations = rule.organization === 'caller' ? organizationsOf(call, env) : [rule.organization ? readRef(rule.organization, scope) : ctx.organizationId];
    const metadata: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(rule.metadata ?? {})) {
      const value = readRef(ref, scope);
      if (value !== undefined) metadata[name] = value;
    }
    const system = rule.actor === 'system' || !call.principal;
    for (const organizationId of organizations) {
      if (typeof organizationId !== 'string') continue;
      env.store.put('audit-logs', {
        id: newId('aud_'),
        organizationId,
        action: rule.action,
        actor: actorOf(rule, call, env),
        targetType: rule.target.type,
        targetId: (readRef(rule.target.id, scope) as string | undefined) ?? null,
        ipAddress: system ? null : call.ip.replace(/^::ffff:/, ''),
        userAgent: system ? null : (call.headers['user-agent']?.slice(0, 512) ?? null),
        metadata,
        createdAt: new Date(env.now()).toISOString(),
      });
    }
  }
}
