// `x-invariants`, enforced for every operation from the spec after `x-access` allowed the call:
// uniqueness, the state of the target or its organization, expiry, and named checks, each
// refused with its status and reason (spec/README.md).
import { expired } from './audiences.js';
import { explainCheck, runCheck } from './checks.js';
import type { AccessContext, Call, MockEnv } from './engine.js';
import { field, readRef, same } from './refs.js';
import { MockHttpError } from './reply.js';
import type { Invariant } from './rules.js';
import type { Row } from './state.js';

function broken(inv: Invariant, call: Call, env: MockEnv, ctx: AccessContext): boolean {
  if ('unique' in inv) {
    const { collection, match, among } = inv.unique;
    const wanted = Object.entries(match).map(([name, ref]) => [name, readRef(ref, { call, env, target: ctx.target })] as const);
    if (wanted.some(([, value]) => value === undefined || value === null)) return false;
    return env.store.all(collection).some(
      (row) => row !== ctx.target && wanted.every(([name, value]) => same(field(row, name), value)) && Object.entries(among ?? {}).every(([name, value]) => same(row[name], value)),
    );
  }
  if ('state' in inv) {
    const { of, field: name, in: values, whenBody } = inv.state;
    if (whenBody && (call.body as Row | undefined)?.[whenBody] === undefined) return false;
    const subject = of === 'organization' ? env.store.get('organizations', ctx.organizationId ?? '') : ctx.target;
    return subject !== undefined && values.some((v) => same(subject[name], v));
  }
  if ('expired' in inv) return ctx.target !== undefined && expired(ctx.target, inv.expired, env.now());
  return !runCheck(inv.check, call, env, ctx);
}

/** Throws the first invariant the call would break. */
export function checkInvariants(invariants: Invariant[], call: Call, env: MockEnv, ctx: AccessContext): void {
  for (const inv of invariants) {
    if (!broken(inv, call, env, ctx)) continue;
    const message = `${inv.when[0]!.toUpperCase()}${inv.when.slice(1)}.`;
    const details = inv.status === 422 ? [{ path: 'body', message: ('check' in inv ? explainCheck(inv.check, call, env, ctx) : undefined) ?? inv.when }] : undefined;
    throw new MockHttpError(inv.status, message, { reason: inv.reason, ...(details ? { details } : {}) });
  }
}
