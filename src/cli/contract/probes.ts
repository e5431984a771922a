// Which operations `coveton contract` calls, and with what: every safe operation of the
// generated operation table (a GET with no one-time credential and no redirect away from the
// target), with its parameters filled from the spec's examples (generated/probes.ts, written by
// the same codegen walk as the table). Operations it cannot call safely are listed with the reason.
import { probeRows } from '../../../generated/probes.js';

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

/**
 * Values given with `--param`: `name=value` for every operation with that parameter, or
 * `operationId.name=value` for one; the scoped one wins. They replace the spec's examples, so
 * that id paths reach real records on the target instead of answering 404.
 */
export type ParamOverrides = ReadonlyMap<string, string>;

function overrideOf(overrides: ParamOverrides, operationId: string, name: string): string | undefined {
  return overrides.get(`${operationId}.${name}`) ?? overrides.get(name);
}

export function planProbes(overrides: ParamOverrides = new Map()): { probes: Probe[]; skipped: Skipped[] } {
  const probes: Probe[] = [];
  const skipped: Skipped[] = [];
  for (const row of probeRows) {
    const { operationId, examples } = row;
    const base = { operationId, method: 'GET', template: row.path };
    if (row.skip) {
      skipped.push({ ...base, reason: row.skip });
      continue;
    }
    const pathParams: Record<string, string> = {};
    const query: Record<string, string | number | boolean> = {};
    let missing: string | undefined;
    for (const [name, example] of Object.entries(examples)) {
      const value = overrideOf(overrides, operationId, name) ?? example;
      if (value === null) missing = name;
      else if (row.pathParams.includes(name)) pathParams[name] = String(value);
      else query[name] = value;
    }
    if (missing !== undefined) {
      skipped.push({ ...base, reason: `the spec has no example for the required parameter ${missing}` });
      continue;
    }
    probes.push({ ...base, method: 'GET', pathParams, query, public: row.public });
  }
  return { probes, skipped };
}

/** The concrete path of a probe, e.g. /api-keys/key_01HZX3K8W2Q9. */
export function concretePath(probe: Probe): string {
  return probe.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(probe.pathParams[name] ?? name));
}
