// Server-set fields, filled by the rules the response schema states: a new record is the request
// body plus, for every required property the body lacks, a value derived from the schema (an id
// with the prefix its pattern requires, `now` for timestamps, null where null is allowed, the
// default, the first enum value, an empty list). Properties the schema does not declare are
// dropped, so a response never carries request-only fields.
import { idPrefix, newId } from '../tools/ids.js';
import type { Schema } from '../tools/spec-model.js';

export interface FillContext {
  now: string;
  /** Known ids by prefix (`usr_` -> the caller's user id, `org_` -> their organization). */
  known: Record<string, string>;
  resolve(schema: Schema | undefined): Schema | undefined;
  /** Makes server-set ids; random by default, stable for seed records. */
  newId?: (prefix: string) => string;
}

/** Merges `allOf` branches into one object schema (the spec uses it for AuthSession). */
export function flatten(schema: Schema | undefined, resolve: FillContext['resolve']): Schema | undefined {
  const s = resolve(schema);
  if (!s?.allOf) return s;
  const merged: Schema = { type: 'object', properties: {}, required: [] };
  for (const part of s.allOf as Schema[]) {
    const p = flatten(part, resolve);
    Object.assign(merged.properties, p?.properties ?? {});
    merged.required.push(...((p?.required as string[]) ?? []));
  }
  return merged;
}

function types(schema: Schema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

export function defaultValue(name: string, schema: Schema | undefined, ctx: FillContext): unknown {
  const s = flatten(schema, ctx.resolve);
  if (!s) return null;
  const t = types(s);
  const prefix = idPrefix(s.pattern);
  if (prefix) return name !== 'id' && ctx.known[prefix] ? ctx.known[prefix] : t.includes('null') && name !== 'id' ? null : (ctx.newId ?? newId)(prefix);
  if ('const' in s) return s.const;
  if ('default' in s) return s.default;
  if (t.includes('null')) return null;
  if (s.format === 'date-time') return ctx.now;
  if (Array.isArray(s.enum)) return s.enum.find((v: unknown) => v !== null);
  if (t.includes('array')) return [];
  if (t.includes('boolean')) return false;
  if (t.includes('integer') || t.includes('number')) return typeof s.minimum === 'number' ? s.minimum : 0;
  if (t.includes('object') || s.properties) return fill(s, {}, ctx);
  if (s.example !== undefined) return s.example;
  if (s.format === 'email') return ctx.known.email ?? 'someone@example.com';
  if (/ip/i.test(name)) return '127.0.0.1';
  return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
}

/** The record `body` completes into under `schema`. */
export function fill(schema: Schema | undefined, body: Record<string, unknown>, ctx: FillContext): Record<string, any> {
  const s = flatten(schema, ctx.resolve);
  if (!s?.properties) return { ...body };
  const out: Record<string, any> = {};
  const required = new Set<string>((s.required as string[]) ?? []);
  for (const [name, prop] of Object.entries(s.properties as Record<string, Schema>)) {
    if (body[name] !== undefined) out[name] = body[name];
    else if (required.has(name)) out[name] = defaultValue(name, prop, ctx);
  }
  // Hidden bookkeeping (`_owner`, ...) survives; `visible()` strips it before a response.
  for (const [k, v] of Object.entries(body)) if (k.startsWith('_')) out[k] = v;
  return out;
}

/** A record as the API shows it: bookkeeping fields removed. */
export function visible(row: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(row)) if (!k.startsWith('_')) out[k] = v;
  return out;
}
