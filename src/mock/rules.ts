// The rules each operation states in the spec (`x-access`, `x-invariants`, `x-audit`; format in
// spec/README.md), read once at start into typed values. The lint rule has checked their shape;
// here only what the mock must be able to run is checked again, so a spec the mock cannot
// enforce fails at start instead of being served half-checked.
import type { Operation } from '../tools/spec-model.js';

export type Audience = 'anyone' | 'members' | 'owner' | 'participants' | 'recipients' | 'contacts';
export type CallerKind = 'public' | 'signature' | 'any' | 'user';

export interface TargetRule {
  collection: string;
  id: string;
  match?: string;
  organization?: string;
  visibleTo: Audience[];
  expires?: string;
}

export interface ReferenceRule {
  ids: string;
  collection: string;
  match?: string;
  visibleTo: Audience[];
  sameOrganization?: boolean;
}

export type RequireRule = { roles: string[]; reason: string } | { self: string; reason: string } | { check: string; reason: string; when: string };

export interface AccessRules {
  caller: CallerKind;
  scope?: string;
  target?: TargetRule;
  references?: ReferenceRule[];
  lists?: { collection: string; visibleTo?: Audience[]; expires?: string };
  require?: RequireRule[];
}

export type Invariant = { status: number; reason: string; when: string } & (
  | { unique: { collection: string; match: Record<string, string>; among?: Record<string, unknown> } }
  | { state: { of?: 'target' | 'organization'; field: string; in: unknown[]; whenBody?: string } }
  | { expired: string }
  | { check: string }
);

export interface AuditRule {
  action: string;
  if?: string;
  organization?: string;
  actor?: 'system';
  target: { type: string; id: string };
  metadata?: Record<string, string>;
}

export interface OperationRules {
  access: AccessRules;
  invariants: Invariant[];
  audit: AuditRule[];
}

const AUDIENCES = new Set<Audience>(['anyone', 'members', 'owner', 'participants', 'recipients', 'contacts']);
const CALLERS = new Set<CallerKind>(['public', 'signature', 'any', 'user']);

/** The rules of `op`, or an error naming what the mock cannot run. `checks` are the named checks it knows. */
export function readRules(op: Operation, checks: ReadonlySet<string>): OperationRules {
  const where = `${op.id} (${op.method.toUpperCase()} ${op.path})`;
  const access = op.raw['x-access'] as AccessRules | undefined;
  const invariants = (op.raw['x-invariants'] ?? []) as Invariant[];
  const audit = (op.raw['x-audit'] ?? []) as AuditRule[];
  if (!access || !CALLERS.has(access.caller)) throw new Error(`${where}: the spec states no x-access caller (public, signature, any or user); run npm run lint:spec`);
  for (const audiences of [access.target?.visibleTo, access.lists?.visibleTo, ...(access.references ?? []).map((r) => r.visibleTo)]) {
    for (const a of audiences ?? []) if (!AUDIENCES.has(a)) throw new Error(`${where}: unknown audience ${a} in x-access`);
  }
  const named = [...(access.require ?? []).flatMap((r) => ('check' in r ? [r.check] : [])), ...invariants.flatMap((i) => ('check' in i ? [i.check] : []))];
  for (const name of named) if (!checks.has(name)) throw new Error(`${where}: the spec names the check ${name}, which the mock does not implement (src/mock/checks.ts)`);
  return { access, invariants, audit };
}
