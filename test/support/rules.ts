// What the spec's rules (x-access, x-invariants) of an operation say, read for the tests.
import type { Json } from './spec.js';

/** Every reason an operation's rules can give. */
export function ruleReasons(op: Json): Set<string> {
  const access = op['x-access'];
  const out = new Set<string>();
  if (access.scope) out.add('insufficient_scope');
  if (access.caller === 'user') out.add('user_required');
  if (access.caller === 'signature') out.add('signature_invalid');
  for (const r of access.require ?? []) out.add(r.reason);
  for (const i of op['x-invariants']) out.add(i.reason);
  return out;
}
