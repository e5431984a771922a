// What the docs know about the contract: every operation (paths) and outbound event (webhooks)
// with its tag, parameters and first examples, and the SDK's resource method for each
// operation, read from the operation table the SDK binds at run time (generated/resources.ts),
// so a renamed method shows up in the docs without touching them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows `$ref`s within the bundled spec. */
export function deref(spec, node) {
  let current = node;
  while (current && current.$ref) {
    current = current.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, key) => acc?.[key], spec);
  }
  return current;
}

/**
 * The `operations` table of generated/resources.ts: operationId -> { resource, name, ...row }.
 * Each row is one line `    methodName: {json},` under a `  resource: {` line.
 */
export function readSdkTable(source) {
  const start = source.indexOf('export const operations = {');
  if (start < 0) throw new Error('generated/resources.ts has no `export const operations` table: run `npm run generate`');
  const end = source.indexOf('} as const', start);
  const table = new Map();
  let resource;
  for (const line of source.slice(start, end).split('\n').slice(1)) {
    const group = /^ {2}([A-Za-z_$][\w$]*): \{$/.exec(line);
    if (group) {
      resource = group[1];
      continue;
    }
    const row = /^ {4}([A-Za-z_$][\w$]*): (\{.*\}),$/.exec(line);
    if (row && resource) {
      const data = JSON.parse(row[2]);
      table.set(data.operationId, { ...data, resource, name: row[1] });
    }
  }
  if (table.size === 0) throw new Error('generated/resources.ts: the operations table is empty or its layout changed');
  return table;
}

/** A parameter's example: its own, else its schema's, else a placeholder. */
export function paramExample(spec, param) {
  const first = param.examples && Object.values(param.examples)[0];
  const schema = deref(spec, param.schema) ?? {};
  return param.example ?? deref(spec, first)?.value ?? schema.example ?? schema.examples?.[0] ?? schema.default ?? schema.enum?.[0] ?? `<${param.name}>`;
}

/** The first example of a JSON media object (request body or response). */
export function mediaExample(spec, media) {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = media.examples && Object.values(media.examples)[0];
  const value = deref(spec, first)?.value;
  if (value !== undefined) return value;
  const schema = deref(spec, media.schema);
  return schema?.example ?? schema?.examples?.[0];
}

const PAGE_PARAMS = new Set(['limit', 'before']);

function describe(spec, { kind, key, method, item, raw }) {
  const params = [...(item.parameters ?? []), ...(raw.parameters ?? [])].map((p) => deref(spec, p));
  const requestBody = deref(spec, raw.requestBody);
  const media = requestBody?.content?.['application/json'];
  const security = raw.security ?? spec.security ?? [];
  const schemes = [...new Set(security.flatMap((req) => Object.keys(req)))].map((id) => ({ id, ...spec.components.securitySchemes[id] }));
  const statuses = Object.keys(raw.responses ?? {});
  const success = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? statuses.filter((s) => /^3\d\d$/.test(s)).sort()[0];
  const pathParams = kind === 'operation' ? [...key.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]) : [];
  // The query a caller would write: every required parameter, else the first optional filter.
  const queryParams = params.filter((p) => p.in === 'query' && !PAGE_PARAMS.has(p.name));
  const chosen = queryParams.some((p) => p.required) ? queryParams.filter((p) => p.required) : queryParams.slice(0, 1);
  return {
    kind,
    operationId: raw.operationId,
    tag: raw.tags?.[0] ?? 'default',
    summary: raw.summary ?? raw.operationId,
    description: raw.description ?? '',
    deprecated: !!raw.deprecated,
    method: method.toUpperCase(),
    // An operation's path, or an event's name.
    path: key,
    params,
    pathValues: Object.fromEntries(pathParams.map((name) => [name, paramExample(spec, params.find((p) => p.in === 'path' && p.name === name) ?? { name })])),
    query: Object.fromEntries(chosen.map((p) => [p.name, paramExample(spec, p)])),
    headers: params.filter((p) => p.in === 'header' && p.required).map((p) => [p.name, String(paramExample(spec, p))]),
    idempotent: params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
    body: media ? mediaExample(spec, media) ?? {} : undefined,
    bodyRequired: !!requestBody?.required,
    requestBody,
    schemes,
    success,
    responses: raw.responses ?? {},
  };
}

/** Every operation and outbound event of the spec, in spec order. */
export function collect(spec, sdkTable) {
  const out = [];
  for (const [kind, group] of [['operation', spec.paths ?? {}], ['event', spec.webhooks ?? {}]]) {
    for (const [key, item] of Object.entries(group)) {
      for (const method of METHODS) {
        const raw = item[method];
        if (!raw?.operationId) continue;
        const entry = describe(spec, { kind, key, method, item, raw });
        if (kind === 'operation') {
          entry.sdk = sdkTable.get(raw.operationId);
          if (!entry.sdk) throw new Error(`${raw.operationId} is not in generated/resources.ts: run \`npm run generate\``);
        }
        out.push(entry);
      }
    }
  }
  return out;
}

/** The bundled spec and its operations, read from a repo checkout. */
export function loadContract(root) {
  const spec = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
  const sdkTable = readSdkTable(readFileSync(join(root, 'generated', 'resources.ts'), 'utf8'));
  return { spec, operations: collect(spec, sdkTable) };
}
