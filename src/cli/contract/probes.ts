// Which operations `coveton contract` calls, and with what: every safe operation of the bundled
// spec (GET, no side effect, no redirect away from the target), with its parameters filled from
// the spec's own examples. Operations it cannot call safely are listed with the reason.
import type { SpecDocument, SpecOperation, SpecParameter } from '../spec-files.js';

export interface Probe {
  operationId: string;
  method: 'GET';
  /** The path template, e.g. /api-keys/{id}. */
  template: string;
  pathParams: Record<string, string>;
  query: Record<string, string | number | boolean>;
  /** Needs no credential (the operation's `security` is empty). */
  public: boolean;
}

export interface Skipped {
  operationId: string;
  method: string;
  template: string;
  reason: string;
}

/** GETs that change state even so: never probed. */
const NOT_SAFE: Record<string, string> = {
  completeOAuth: 'not safe: it exchanges a one-time OAuth code for tokens',
};

function resolveParam(spec: SpecDocument, param: SpecParameter): SpecParameter {
  if (!param.$ref) return param;
  const name = param.$ref.replace('#/components/parameters/', '');
  return spec.components.parameters?.[name] ?? param;
}

function exampleOf(param: SpecParameter): string | number | boolean | undefined {
  const value = param.example ?? param.schema?.example ?? param.schema?.default ?? param.schema?.enum?.[0];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

function isRedirect(op: SpecOperation): boolean {
  return Object.keys(op.responses).some((status) => /^3\d\d$/.test(status));
}

/**
 * Values given with `--param`: `name=value` for every operation with that parameter, or
 * `operationId.name=value` for one; the scoped one wins. They replace the spec's examples, so
 * that id paths reach real records on the target instead of answering 404.
 */
export type ParamOverrides = ReadonlyMap<string, string>;

function overrideOf(overrides: ParamOverrides, operationId: string, name: string): string | undefined {
  return overrides.get(`${operationId}.${name}`) ?? overrides.get(name);
}

export function planProbes(spec: SpecDocument, overrides: ParamOverrides = new Map()): { probes: Probe[]; skipped: Skipped[] } {
  const probes: Probe[] = [];
  const skipped: Skipped[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const shared = (Array.isArray(item.parameters) ? item.parameters : []) as SpecParameter[];
    for (const [method, value] of Object.entries(item)) {
      if (method === 'parameters' || Array.isArray(value)) continue;
      const op = value;
      if (method !== 'get') continue; // only safe methods: the contract check never changes data
      const base = { operationId: op.operationId, method: 'GET', template };
      if (NOT_SAFE[op.operationId]) {
        skipped.push({ ...base, reason: NOT_SAFE[op.operationId]! });
        continue;
      }
      if (isRedirect(op)) {
        skipped.push({ ...base, reason: "a redirect: Prism's proxy would follow it away from the target" });
        continue;
      }
      const pathParams: Record<string, string> = {};
      const query: Record<string, string | number | boolean> = {};
      let missing: string | undefined;
      for (const param of [...shared, ...(op.parameters ?? [])].map((p) => resolveParam(spec, p))) {
        if (param.in !== 'path' && !(param.in === 'query' && param.required)) continue;
        const example = overrideOf(overrides, op.operationId, param.name) ?? exampleOf(param);
        if (example === undefined) missing = param.name;
        else if (param.in === 'path') pathParams[param.name] = String(example);
        else query[param.name] = example;
      }
      if (missing !== undefined) {
        skipped.push({ ...base, reason: `the spec has no example for the required parameter ${missing}` });
        continue;
      }
      const security = op.security ?? spec.security ?? [];
      probes.push({ ...base, method: 'GET', pathParams, query, public: security.length === 0 });
    }
  }
  return { probes, skipped };
}

/** The concrete path of a probe, e.g. /api-keys/key_01HZX3K8W2Q9. */
export function concretePath(probe: Probe): string {
  return probe.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(probe.pathParams[name] ?? name));
}
