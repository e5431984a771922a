// Renders generated/resources.ts: the resource methods' types and the operation table the SDK
// binds at run time, both from the bundled spec.
import { methodName, resourceName } from './naming.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Follows `$ref`s within the bundled spec. */
export function resolve(spec, node) {
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

function docComment(lines, indent) {
  const body = lines
    .join('\n')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((l) => `${indent} *${l ? ` ${l}` : ''}`)
    .join('\n');
  return `${indent}/**\n${body}\n${indent} */`;
}

/** Every operation of the spec's `paths`, with what the SDK needs to call it. */
export function collectOperations(spec) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(spec, p));
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const query = params.filter((p) => p.in === 'query');
      const requestBody = resolve(spec, op.requestBody);
      const statuses = Object.keys(op.responses);
      const success = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? statuses.filter((s) => /^3\d\d$/.test(s)).sort()[0];
      const response = resolve(spec, op.responses[success]);
      const schema = resolve(spec, response?.content?.['application/json']?.schema);
      const limit = query.find((p) => p.name === 'limit');
      const tag = op.tags[0];
      out.push({
        operationId: op.operationId,
        summary: op.summary,
        description: op.description,
        tag,
        resource: resourceName(tag),
        name: methodName(op.operationId, tag),
        method: method.toUpperCase(),
        path,
        pathParams,
        query: query.length === 0 ? 'none' : query.some((p) => p.required) ? 'required' : 'optional',
        body: !requestBody ? 'none' : requestBody.required ? 'required' : 'optional',
        idempotent: params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key'),
        paginated: !!limit && query.some((p) => p.name === 'before') && schema?.type === 'array',
        defaultLimit: resolve(spec, limit?.schema)?.default ?? 50,
        redirect: /^3/.test(success),
        public: Array.isArray(op.security) && op.security.length === 0,
        // `x-retry: if-not-sent`: a one-time credential rides on it (an OAuth code, a refresh
        // token); repeat it only when it never reached the server.
        repeat: op['x-retry'] === 'if-not-sent' ? 'if-not-sent' : undefined,
        success,
        hasContent: !!response?.content,
        returns: !response?.content ? 'nothing' : schema?.type === 'array' ? 'array' : schema?.type === 'object' || schema?.properties ? 'object' : 'value',
      });
    }
  }
  return out;
}

/** One operation as a row of the table; the decoder is src/operations.ts. */
export function encodeRow(op) {
  const flags = [];
  if (op.body !== 'none') flags.push(op.body === 'required' ? 'B' : 'b');
  if (op.query !== 'none') flags.push(op.query === 'required' ? 'Q' : 'q');
  if (op.idempotent) flags.push('I');
  if (op.paginated) flags.push(`P${op.defaultLimit}`);
  if (op.redirect) flags.push('R');
  if (op.public) flags.push('U');
  if (op.repeat === 'if-not-sent') flags.push('O');
  const returns = { nothing: '', array: '>a', object: '>o', value: '>v' }[op.returns];
  return [op.operationId, op.method, op.path, ...flags, ...(returns ? [returns] : [])].join(' ');
}

function signature(op) {
  const P = `'${op.path}'`;
  const M = `'${op.method.toLowerCase()}'`;
  const args = op.pathParams.map((name) => `${name}: PathParam<${P}, ${M}, '${name}'>`);
  if (op.body !== 'none') args.push(`body${op.body === 'optional' ? '?' : ''}: Body<${P}, ${M}>`);
  if (op.query !== 'none') args.push(`query${op.query === 'optional' ? '?' : ''}: Query<${P}, ${M}>`);
  args.push('options?: CallOptions');
  const data = op.redirect ? '{ location: string }' : op.hasContent ? `Data<${P}, ${M}, ${op.success}>` : 'void';
  const result = op.paginated ? `PagePromise<Item<${P}, ${M}, ${op.success}>>` : `Promise<${data}>`;
  return `${op.name}(${args.join(', ')}): ${result};`;
}

export function renderResources(spec) {
  const ops = collectOperations(spec);
  const byResource = new Map();
  for (const op of ops) {
    if (!byResource.has(op.resource)) byResource.set(op.resource, []);
    const list = byResource.get(op.resource);
    if (list.some((o) => o.name === op.name)) throw new Error(`two operations of ${op.resource} are both named ${op.name}`);
    list.push(op);
  }
  const iface = (r) => `${r[0].toUpperCase()}${r.slice(1)}Resource`;
  const out = [];
  out.push('// Generated by scripts/generate.mjs from spec/. Do not edit: change the spec and run `npm run generate`.');
  out.push("import type { CallOptions, OperationTable, PagePromise } from '../src/types.js';");
  out.push("import type { paths } from './schema.js';");
  out.push('');
  out.push('type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];');
  out.push("type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;");
  out.push("type Body<P extends keyof paths, M extends keyof paths[P]> = Json<NonNullable<Op<P, M> extends { requestBody?: infer R } ? R : never>>;");
  out.push("type Query<P extends keyof paths, M extends keyof paths[P]> = NonNullable<Op<P, M> extends { parameters: { query?: infer Q } } ? Q : never>;");
  out.push("type PathParam<P extends keyof paths, M extends keyof paths[P], K extends string> = Op<P, M> extends { parameters: { path: infer T } } ? (K extends keyof T ? T[K] : never) : never;");
  out.push("type Data<P extends keyof paths, M extends keyof paths[P], S extends number> = Op<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;");
  out.push("type Item<P extends keyof paths, M extends keyof paths[P], S extends number> = Data<P, M, S> extends readonly (infer I)[] ? I : never;");
  out.push('');
  for (const [resource, list] of byResource) {
    out.push(`export interface ${iface(resource)} {`);
    for (const op of list) {
      const lines = [op.summary, '', ...(op.description ?? '').trim().split('\n'), '', `\`${op.method} ${op.path}\` (operationId \`${op.operationId}\`)`];
      out.push(docComment(lines, '  '));
      out.push(`  ${signature(op)}`);
    }
    out.push('}');
    out.push('');
  }
  out.push('/** Every resource of the API, one per tag of the spec. */');
  out.push('export interface Resources {');
  for (const resource of byResource.keys()) out.push(`  ${resource}: ${iface(resource)};`);
  out.push('}');
  out.push('');
  out.push('/**');
  out.push(' * How to call each operation, one compact row each (decoded by src/operations.ts, which');
  out.push(' * documents the flags): `operationId METHOD /path flags... >returns`.');
  out.push(' */');
  out.push('export const operations = {');
  for (const [resource, list] of byResource) {
    out.push(`  ${resource}: {`);
    for (const op of list) out.push(`    ${op.name}: '${encodeRow(op)}',`);
    out.push('  },');
  }
  out.push('} as const satisfies OperationTable;');
  out.push('');
  return out.join('\n');
}
