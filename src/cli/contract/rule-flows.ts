// `coveton contract --write`, the spec's rules (x-access, x-invariants, x-audit) against a live
// server, generated from the bundled spec so a new operation is covered without touching this:
// - scope: every operation an API key may call with a scope is called, with the spec's example
//   request and ids no record has, by a key holding one unrelated scope; the answer must be 403
//   `insufficient_scope` (or `user_required` for user-only operations). Scope is checked before
//   anything is looked up, so nothing is found, changed or created on the way.
// - uniqueness: a create repeated with the same body gets the status and reason of its `unique`
//   invariant (a duplicate a server wrongly created is deleted at once).
// - audit: what the flows did successfully is in the organization's audit log, as x-audit says.
import { idPrefix } from '../../tools/ids.js';
import { loadSpecModel, type Operation, type Schema } from '../../tools/spec-model.js';
import type { Coveton } from '../../public/client.js';
import { flowProblem, runner, type FlowRunner, type Step } from './flow-runner.js';

/** The scope the probing key holds: the one rule needing it is skipped. */
const PROBE_SCOPE = 'notifications:read';

let model: ReturnType<typeof loadSpecModel> | undefined;
const spec = () => (model ??= loadSpecModel());
const operation = (id: string) => spec().operations.find((o) => o.id === id);

function requestExample(op: Operation): unknown {
  const media = spec().resolve(op.raw.requestBody)?.content?.['application/json'];
  return media?.example ?? (Object.values((media?.examples ?? {}) as Record<string, Schema>)[0] as { value?: unknown } | undefined)?.value;
}

/** The example request of `op` with path ids no record has (`team_ContractScopeProbe`). */
function probeStep(op: Operation, expect: number, reason: string): Step {
  const params = [...((spec().doc.paths[op.path]?.parameters ?? []) as Schema[]), ...((op.raw.parameters ?? []) as Schema[])].map((p) => spec().resolve(p)!);
  const path: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  for (const p of params) {
    const schema = spec().resolve(p.schema) ?? {};
    if (p.in === 'path') path[p.name] = `${idPrefix(schema.pattern) ?? ''}ContractScopeProbe`;
    else if (p.in === 'query' && p.required) query[p.name] = p.example ?? schema.example ?? schema.enum?.[0];
  }
  const body = requestExample(op);
  return { operationId: op.id, method: op.method.toUpperCase() as Step['method'], template: op.path, path, ...(Object.keys(query).length ? { query } : {}), ...(body !== undefined ? { body } : {}), expect, reason };
}

/** Every operation a key without the scope must be refused, called by such a key. */
export async function checkScopes(f: FlowRunner, label: string, withKey: (secret: string) => Coveton): Promise<void> {
  const key = await f.step({ operationId: 'createApiKey', method: 'POST', template: '/api-keys', body: { name: `${label}-scope-probe`, type: 'service', environment: 'sandbox', permissions: [PROBE_SCOPE] } });
  if (!key?.secret) return;
  try {
    const narrow = runner(withKey(key.secret), f.results, f.done);
    const steps: Step[] = [];
    for (const op of spec().operations) {
      const access = op.raw['x-access'] as { caller: string; scope?: string } | undefined;
      if (access?.caller === 'user') steps.push(probeStep(op, 403, 'user_required'));
      else if (access?.caller === 'any' && access.scope && access.scope !== PROBE_SCOPE) steps.push(probeStep(op, 403, 'insufficient_scope'));
    }
    // Independent calls that change nothing: four at a time.
    const next = () => steps.shift();
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let s = next(); s; s = next()) await narrow.step(s);
    }));
  } finally {
    await f.step({ operationId: 'deleteApiKey', method: 'DELETE', template: '/api-keys/{id}', path: { id: key.id } });
  }
}

/** Repeats a create that succeeded: each `unique` invariant of it must refuse the copy. */
export async function checkDuplicate(f: FlowRunner, created: Step, remove: (id: string) => Promise<unknown>): Promise<void> {
  const invariants = (operation(created.operationId)?.raw['x-invariants'] ?? []) as { status: number; reason: string; unique?: { match: Record<string, string> } }[];
  const body = created.body as Record<string, unknown>;
  const unique = invariants.find((i) => i.unique && Object.values(i.unique.match).every((ref) => ref.startsWith('body.') && body[ref.slice(5)] !== undefined));
  if (!unique) return;
  const copy = await f.step({ ...created, expect: unique.status, reason: unique.reason });
  if (copy === undefined) {
    // A server that created the duplicate anyway: remove it again.
    const made = f.done.at(-1);
    const id = (made?.step === undefined ? undefined : (made.answer as { id?: string } | undefined)?.id) ?? undefined;
    if (made && made.step.operationId === created.operationId && id) await remove(id);
  }
}

function readRef(ref: string, step: Step, answer: unknown): unknown {
  const [source, name] = ref.split('.');
  if (source === 'body') return (step.body as Record<string, unknown> | undefined)?.[name!];
  if (source === 'path') return step.path?.[name!];
  if (source === 'response') return (answer as Record<string, unknown> | undefined)?.[name!];
  return undefined;
}

/** The organization's audit log holds an entry for each successful step its x-audit names. */
export async function checkAudit(f: FlowRunner, organizationId: string): Promise<void> {
  const expected: { action: string; targetId: string; by: string }[] = [];
  for (const { step, answer } of f.done) {
    const rules = (operation(step.operationId)?.raw['x-audit'] ?? []) as { action: string; if?: string; organization?: string; target: { id: string } }[];
    for (const rule of rules) {
      if (rule.organization && rule.organization !== 'caller') continue;
      const [ref, value] = rule.if?.split(' == ') ?? [];
      if (ref && !/^(body|path)\./.test(ref)) continue;
      const held = ref === undefined ? true : value === undefined ? readRef(ref, step, answer) !== undefined : String(readRef(ref, step, answer)) === value;
      const targetId = readRef(rule.target.id, step, answer);
      if (held && typeof targetId === 'string') expected.push({ action: rule.action, targetId, by: step.operationId });
    }
  }
  if (expected.length === 0) return;
  const log = await f.step({ operationId: 'listAuditLogs', method: 'GET', template: '/audit-logs', query: { organizationId, limit: 100 } });
  if (!Array.isArray(log)) return;
  const last = f.results.at(-1)!;
  for (const e of expected) {
    if (!log.some((entry: { action?: string; targetId?: string }) => entry.action === e.action && entry.targetId === e.targetId)) {
      last.violations.push(flowProblem(`the audit log has no ${e.action} entry for ${e.targetId}, which ${e.by} wrote (x-audit)`));
    }
  }
}
