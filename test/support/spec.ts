// Reads the bundled contract for the tests: operations with their examples, and an Ajv
// (JSON Schema 2020-12, the spec's jsonSchemaDialect) that validates against any schema in it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const specPath = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));
export const spec: Json = JSON.parse(readFileSync(specPath, 'utf8'));

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'] as const;

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Follows `$ref`s; returns the node and the JSON pointer where it really lives. */
export function deref(node: Json, pointer: string): { node: Json; pointer: string } {
  let current = node;
  let at = pointer;
  for (let hops = 0; current && typeof current === 'object' && '$ref' in current; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${pointer}`);
    at = String(current.$ref).slice(1);
    current = at
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc: Json, key) => acc?.[key], spec);
  }
  return { node: current, pointer: at };
}

export function createAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema(spec, 'openapi');
  return ajv;
}

/** Validates `value` against the schema at `pointer` in the bundle; returns the errors, or []. */
export function validatorAt(ajv: ReturnType<typeof createAjv>) {
  return (pointer: string, value: unknown): string[] => {
    const validate = ajv.getSchema(`openapi#${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  op: Json;
  parameters: Json[];
  /** The lowest 2xx, or the 3xx of a redirect. */
  successStatus: string;
}

export function specOperations(): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const pointer = `/paths/${escapePointer(path)}/${method}`;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => deref(p, '').node);
      const statuses = Object.keys(op.responses);
      const successStatus =
        statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? statuses.filter((s) => /^3\d\d$/.test(s)).sort()[0]!;
      out.push({ operationId: op.operationId, method: method.toUpperCase(), path, pointer, op, parameters, successStatus });
    }
  }
  return out;
}

/** The first example of a media type object (`example`, or the first of `examples`). */
export function firstExample(media: Json): unknown {
  if (!media) return undefined;
  if ('example' in media) return media.example;
  const first = Object.values<Json>(media.examples ?? {})[0];
  return first ? deref(first, '').node.value : undefined;
}

/** A request built from the operation's examples: path, query, headers, body. */
export function exampleRequest(operation: SpecOperation) {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of operation.parameters) {
    if (p.example === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
    if (p.in === 'query') query.set(p.name, String(p.example));
    if (p.in === 'header') headers[p.name] = String(p.example);
  }
  const security: Json[] = operation.op.security ?? spec.security ?? [];
  const requirement = security[0] ?? {};
  for (const scheme of Object.keys(requirement)) {
    const def = spec.components.securitySchemes[scheme];
    if (def.type === 'http') headers.Authorization = 'Bearer test-token';
    else if (def.in === 'header') headers[def.name] = 'test-signature';
  }
  const media = deref(operation.op.requestBody, '').node?.content?.['application/json'];
  const body = firstExample(media);
  return { path, query, headers, body };
}
