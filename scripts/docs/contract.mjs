// What the docs know about the contract: every operation (paths) and outbound event (webhooks)
// with its tag, parameters and first examples, and the SDK's resource method for each
// operation, read from the operation table the SDK binds at run time (generated/resources.ts),
// so a renamed method shows up in the docs without touching them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve } from '../codegen/resources.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows `$ref`s within the bundled spec: the codegen's resolver, so both read the spec alike. */
export const deref = resolve;

/**
 * The SDK's method for each operation, read from generated/resources.ts: `METHOD /path` ->
 * `{ resource, name, session }`. Rows of `operations` are resource methods; rows of
 * `sessionOperations` (where the codegen writes one) are sent by the SDK's session layer. A row
 * is a JSON object with `method` and `path`, or a compact string that starts `METHOD /path`.
 */
export function readSdkTable(source) {
  const table = new Map();
  for (const [name, session] of [['operations', false], ['sessionOperations', true]]) {
    const start = source.indexOf(`export const ${name} = {`);
    if (start < 0) continue;
    const end = source.indexOf('} as const', start);
    let resource;
    for (const line of source.slice(start, end).split('\n').slice(1)) {
      const group = /^ {2}([A-Za-z_$][\w$]*): \{$/.exec(line);
      if (group) {
        resource = group[1];
        continue;
      }
      const row = /^ {4}([A-Za-z_$][\w$]*): (.+),$/.exec(line);
      if (!row || !resource) continue;
      const value = row[2].startsWith('{') ? JSON.parse(row[2]) : undefined;
      const [method, path] = value ? [value.method, value.path] : row[2].replace(/^'|'$/g, '').split(' ');
      table.set(`${method.toUpperCase()} ${path}`, { resource, name: row[1], session });
    }
  }
  if (table.size === 0) throw new Error('generated/resources.ts: no operations table found, or its layout changed; run `npm run generate`');
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
  const query = params.filter((p) => p.in === 'query');
  const successSchema = deref(spec, deref(spec, raw.responses?.[success])?.content?.['application/json']?.schema);
  return {
    kind,
    operationId: raw.operationId,
    // How the SDK's method takes its arguments, by the codegen's rules: path values, a body,
    // then a query object; lists with `limit` and `before` are walked with `for await`.
    shape: {
      pathParams,
      body: !requestBody ? 'none' : requestBody.required ? 'required' : 'optional',
      query: query.length === 0 ? 'none' : query.some((p) => p.required) ? 'required' : 'optional',
      paginated: query.some((p) => p.name === 'limit') && query.some((p) => p.name === 'before') && successSchema?.type === 'array',
      redirect: /^3/.test(success ?? ''),
    },
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
        // Undefined for an operation the SDK does not offer (a payment processor's endpoint).
        if (kind === 'operation') entry.sdk = sdkTable.get(`${entry.method} ${key}`);
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
