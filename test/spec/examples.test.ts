// Every example in the contract validates against its schema: request and response bodies,
// parameters, headers and schema-level examples, in paths, webhooks and components.
import { describe, expect, it } from 'vitest';
import { createAjv, deref, escapePointer, firstExample, spec, specOperations, validatorAt, type Json } from '../support/spec.js';

interface Found {
  where: string;
  schemaPointer: string;
  value: unknown;
}

const SCHEMA_KEYS = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'pattern', 'format', 'properties'];

function collect(node: Json, pointer: string, out: Found[], inSchema: boolean): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((child, i) => collect(child, `${pointer}/${i}`, out, inSchema));
    return;
  }
  if ('schema' in node && !inSchema) {
    // A media type, parameter or header object.
    if ('example' in node) out.push({ where: `${pointer}/example`, schemaPointer: `${pointer}/schema`, value: node.example });
    for (const [name, ex] of Object.entries<Json>(node.examples ?? {})) {
      out.push({ where: `${pointer}/examples/${name}`, schemaPointer: `${pointer}/schema`, value: deref(ex, '').node.value });
    }
  } else if (inSchema && 'example' in node && SCHEMA_KEYS.some((k) => k in node)) {
    out.push({ where: `${pointer}/example`, schemaPointer: pointer, value: node.example });
  }
  for (const [key, child] of Object.entries<Json>(node)) {
    if (key === 'example' || key === 'examples') continue;
    const childPointer = `${pointer}/${escapePointer(key)}`;
    collect(child, childPointer, out, inSchema || key === 'schema' || pointer === '/components/schemas');
  }
}

describe('examples in the contract', () => {
  const found: Found[] = [];
  for (const section of ['paths', 'webhooks', 'components']) collect(spec[section], `/${section}`, found, false);
  const validate = validatorAt(createAjv());

  it('exist for every request body, every response body and every parameter', () => {
    expect(found.length).toBeGreaterThan(400);
    const missing: string[] = [];
    for (const { operationId, op, parameters } of specOperations()) {
      const bodies = [deref(op.requestBody, '').node, ...Object.values<Json>(op.responses).map((r) => deref(r, '').node)];
      for (const body of bodies) {
        const media = body?.content?.['application/json'];
        if (media && firstExample(media) === undefined) missing.push(`${operationId}: a body without example`);
      }
      for (const p of parameters) if (p.example === undefined) missing.push(`${operationId}: parameter ${p.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('each validate against their schema', () => {
    const failures = found.flatMap((f) => validate(f.schemaPointer, f.value).map((e) => `${f.where}: ${e}`));
    expect(failures).toEqual([]);
  });

  it('are checked: a broken example is caught', () => {
    const errors = validate('/components/schemas/ApiKeyCreate', { name: '', type: 'robot', environment: 'sandbox', extra: 1 });
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });
});
