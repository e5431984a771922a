// The prose of each operation agrees with its machine-readable rules (x-access, x-invariants),
// so the two cannot drift apart again: every reason the rules give is named in the description,
// no reason is named that the rules do not give, the scope named is the rule's scope, the roles
// and statuses the rules imply are written down, and "Public." opens exactly the public ones.
import { describe, expect, it } from 'vitest';
import { ruleReasons } from '../support/rules.js';
import { spec, specOperations, type Json } from '../support/spec.js';

const ALL_REASONS: string[] = spec.components.schemas.ErrorReason.enum;
// Reasons about the credential itself, which any authenticated operation can give (seed 000).
const CREDENTIAL_REASONS = ['credentials_missing', 'token_invalid', 'token_expired', 'session_revoked', 'key_revoked', 'key_suspended', 'key_expired', 'wrong_environment', 'ip_not_allowed'];

function problems(op: Json): string[] {
  const access = op['x-access'];
  const text: string = op.description.replace(/\s+/g, ' ');
  const named = new Set([...text.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((w) => ALL_REASONS.includes(w)));
  const given = ruleReasons(op);
  const out: string[] = [];
  for (const reason of given) if (!named.has(reason)) out.push(`the rules give \`${reason}\`; the description never names it`);
  for (const reason of named) {
    const credential = access.caller !== 'public' && CREDENTIAL_REASONS.includes(reason);
    if (!given.has(reason) && !credential) out.push(`the description names \`${reason}\`, which no rule of the operation gives`);
  }
  const scopes = [...text.matchAll(/needs? (?:the )?`([a-z-]+:[a-z]+)`(?: admin)? scope/g)].map((m) => m[1]);
  if (access.scope && !scopes.includes(access.scope)) out.push(`the rules need the \`${access.scope}\` scope; the description does not say "needs the \`${access.scope}\` scope"`);
  for (const s of scopes) if (s !== access.scope) out.push(`the description says it needs \`${s}\`; the rules say ${access.scope ?? 'no scope'}`);
  if ((access.caller === 'public') !== text.startsWith('Public.')) out.push(`caller ${access.caller}: "Public." opens the description of public operations only`);
  const statuses = new Set<number>(op['x-invariants'].map((i: Json) => i.status));
  if (access.target || access.references) statuses.add(404);
  for (const status of statuses) if (!text.includes(String(status))) out.push(`the rules answer ${status}; the description never says ${status}`);
  for (const r of access.require ?? []) {
    if (r.roles?.join() === 'owner,admin' && !/owners? or admins?/i.test(text)) out.push('the rules allow owners and admins; the description does not say "owner or admin"');
    if (r.roles?.join() === 'owner' && !/owner only|only the owner|only an owner/i.test(text)) out.push('the rules allow the owner only; the description does not say so');
  }
  return out;
}

describe('operation descriptions agree with their rules', () => {
  for (const { operationId, op } of specOperations()) {
    it(operationId, () => {
      expect(problems(op)).toEqual([]);
    });
  }

  it('the check itself fires: a description that drops a reason, or names a wrong scope, is caught', () => {
    const op = specOperations().find((o) => o.operationId === 'updateMessage')!.op;
    expect(problems({ ...op, description: op.description.replace('`not_sender`', 'a refusal') })).toContain('the rules give `not_sender`; the description never names it');
    expect(problems({ ...op, description: `${op.description} It needs the \`chats:read\` scope.` })).toContain('the description says it needs `chats:read`; the rules say messages:write');
    expect(problems({ ...op, description: `${op.description} Or \`last_owner\`.` })).toContain('the description names `last_owner`, which no rule of the operation gives');
  });
});
