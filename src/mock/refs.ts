// References in the spec's rules (`path.id`, `body.organizationId`, `target.role`,
// `caller.userId`, `response.id`, `effect.plan`; spec/README.md) read against one call.
import type { Call, MockEnv } from './engine.js';
import type { Row } from './state.js';

export interface RefScope {
  call: Call;
  env: MockEnv;
  /** The target record (in x-audit: as it was before the operation). */
  target?: Row | undefined;
  response?: unknown;
  effect?: Record<string, unknown>;
}

function caller(scope: RefScope): Record<string, unknown> {
  const p = scope.call.principal;
  if (!p) return {};
  return { userId: p.userId, organizationId: p.organizationId, email: scope.env.store.get('users', p.userId)?.email };
}

/** A field of a record; hidden bookkeeping fields (`_token`) answer for their public name. */
export function field(row: Row | undefined, name: string): unknown {
  if (!row) return undefined;
  return row[name] !== undefined ? row[name] : row[`_${name}`];
}

/** The value a reference names, or undefined when the request or outcome has none. */
export function readRef(ref: string, scope: RefScope): unknown {
  const [source, ...path] = ref.split('.');
  const roots: Record<string, unknown> = {
    path: scope.call.params,
    query: scope.call.query,
    body: scope.call.body,
    target: scope.target,
    caller: caller(scope),
    response: scope.response,
    effect: scope.effect,
  };
  let value = roots[source!];
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = key === path[0] && source === 'target' ? field(value as Row, key) : (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Equality as the rules compare: text without case, anything else by value. */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}
