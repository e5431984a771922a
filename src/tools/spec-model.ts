// The bundled OpenAPI document as the mock reads it: its operations as a route table, `$ref`
// resolution, and each operation's request and success-response schemas. Everything the state
// engine does generically (collections, server-set fields) is derived from what is read here.
import { readFileSync } from 'node:fs';
import { bundledSpecPath } from './spec-files.js';

export type Schema = Record<string, any>;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

export interface Operation {
  id: string;
  method: Method;
  /** The template, e.g. `/teams/{id}`. */
  path: string;
  segments: string[];
  tags: string[];
  /** False for the operations marked `security: []`. */
  secured: boolean;
  /** Header names of the provider-signature schemes (`stripe-signature`) when those are the only way in. */
  signatureHeaders: string[];
  /** Its parameters (path-level and its own), `$ref`s resolved. */
  parameters: Schema[];
  /** Whether the operation takes an `Idempotency-Key` header. */
  idempotent: boolean;
  /** The status codes the operation documents. */
  statuses: Set<number>;
  successStatus: number;
  successSchema?: Schema;
  requestSchema?: Schema;
  raw: Schema;
}

export interface SpecModel {
  doc: Schema;
  operations: Operation[];
  resolve(schema: Schema | undefined): Schema | undefined;
  match(method: string, path: string): { op: Operation; params: Record<string, string> } | { allowed: string[] } | undefined;
  webhookExample(eventType: string): unknown;
  webhookTypes(): string[];
}

/** Follows a schema's `$ref` chain through `doc` (JSON pointers, at most 20 hops). */
export function refResolver(doc: Schema): (schema: Schema | undefined) => Schema | undefined {
  return (schema) => {
    let s = schema;
    for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
      const target = (s.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      // A sibling `description` next to a `$ref` keeps the target's constraints.
      s = target;
    }
    return s;
  };
}

export function loadSpecModel(path = bundledSpecPath('openapi.json')): SpecModel {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Schema;
  const resolve = refResolver(doc);
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, Schema>;
  const signatureHeaders = (security: Schema[]) => {
    const names = security.flatMap((req) => Object.keys(req));
    if (names.some((n) => n === 'bearerAuth' || n === 'apiKeyHeader')) return [];
    return names.map((n) => String(schemes[n]?.name ?? '').toLowerCase()).filter(Boolean);
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    const shared = (item.parameters ?? []) as Schema[];
    for (const method of METHODS) {
      const raw = item[method] as Schema | undefined;
      if (!raw) continue;
      const params = [...shared, ...((raw.parameters ?? []) as Schema[])].map((p) => resolve(p)!);
      const statuses = new Set(Object.keys(raw.responses ?? {}).map(Number));
      const success = Object.keys(raw.responses ?? {}).find((code) => code.startsWith('2') || code.startsWith('3')) ?? '200';
      const response = resolve(raw.responses?.[success]);
      operations.push({
        id: raw.operationId,
        method,
        path,
        segments: path.split('/').filter(Boolean),
        tags: raw.tags ?? [],
        secured: !(Array.isArray(raw.security) && raw.security.length === 0),
        signatureHeaders: signatureHeaders((raw.security ?? doc.security ?? []) as Schema[]),
        parameters: params,
        idempotent: params.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key'),
        statuses,
        successStatus: Number(success),
        successSchema: resolve(response?.content?.['application/json']?.schema),
        requestSchema: resolve(resolve(raw.requestBody)?.content?.['application/json']?.schema),
        raw,
      });
    }
  }
  // Literal segments win over templated ones (`/invites/accept` before `/invites/{organizationId}`).
  const literalScore = (op: Operation) => op.segments.reduce((n, s, i) => n + (s.startsWith('{') ? 0 : 2 ** (10 - i)), 0);
  operations.sort((a, b) => literalScore(b) - literalScore(a));

  function match(method: string, path: string) {
    const parts = path.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    const allowed: string[] = [];
    for (const op of operations) {
      if (op.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = op.segments.every((seg, i) => {
        if (seg.startsWith('{')) return (params[seg.slice(1, -1)] = parts[i]!) !== '';
        return seg === parts[i];
      });
      if (!fits) continue;
      if (op.method === method.toLowerCase()) return { op, params };
      allowed.push(op.method.toUpperCase());
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }

  const webhooks = (doc.webhooks ?? {}) as Record<string, Schema>;
  return {
    doc,
    operations,
    resolve,
    match,
    webhookTypes: () => Object.keys(webhooks),
    webhookExample(eventType) {
      const body = resolve(webhooks[eventType]?.post?.requestBody)?.content?.['application/json'];
      const examples = body?.examples as Record<string, Schema> | undefined;
      return examples ? Object.values(examples)[0]?.value : body?.example;
    },
  };
}

/** The event schema of an outbound webhook, for the tests and `webhooks trigger`. */
export function webhookSchema(model: SpecModel, eventType: string): Schema | undefined {
  const hook = (model.doc.webhooks ?? {})[eventType] as Schema | undefined;
  return model.resolve(model.resolve(hook?.post?.requestBody)?.content?.['application/json']?.schema);
}
