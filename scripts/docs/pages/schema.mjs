// Schemas as Markdown: a type label with links to the schemas page, and a table of fields that
// opens inline objects one level at a time (`error.code`).
import { deref } from '../contract.mjs';
import { cell, inlineCode, oneLine, safeMarkdown, table } from './text.mjs';

export const SCHEMAS_PAGE = '/reference/schemas';

export const schemaLink = (name) => `[${safeMarkdown(name)}](${SCHEMAS_PAGE}#${name.toLowerCase()})`;

function refName(schema) {
  return schema?.$ref?.startsWith('#/components/schemas/') ? schema.$ref.split('/').pop() : undefined;
}

/** `string`, `string | null`, `array of [ApiKey](...)`, `"message.created"`, ... */
export function typeLabel(spec, schema, depth = 0) {
  if (!schema) return 'any';
  const name = refName(schema);
  if (name) return schemaLink(name);
  if (depth > 4) return 'object';
  if (schema.const !== undefined) return inlineCode(JSON.stringify(schema.const));
  for (const [key, joiner] of [['oneOf', ' \\| '], ['anyOf', ' \\| '], ['allOf', ' & ']]) {
    if (schema[key]) return schema[key].map((s) => typeLabel(spec, s, depth + 1)).join(joiner);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const labels = types.map((t) => {
    if (t === 'array') return `array of ${typeLabel(spec, schema.items, depth + 1)}`;
    if (t === 'string' && schema.format) return `string (${safeMarkdown(schema.format)})`;
    return t;
  });
  if (labels.length === 0 && schema.properties) labels.push('object');
  return labels.join(' \\| ') || 'any';
}

/** Allowed values, limits and the like, as a short note. */
function constraints(spec, schema) {
  const s = deref(spec, schema) ?? {};
  const notes = [];
  if (s.enum) notes.push(`One of ${s.enum.map((v) => inlineCode(JSON.stringify(v))).join(', ')}.`);
  if (s.default !== undefined) notes.push(`Default ${inlineCode(JSON.stringify(s.default))}.`);
  if (s.minLength !== undefined || s.maxLength !== undefined) notes.push(`Length ${s.minLength ?? 0} to ${s.maxLength ?? 'any'}.`);
  if (s.minimum !== undefined || s.maximum !== undefined) notes.push(`From ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}.`);
  if (s.pattern) notes.push(`Pattern ${inlineCode(s.pattern)}.`);
  return notes.join(' ');
}

function describeField(spec, schema) {
  const own = schema?.description;
  const target = deref(spec, schema);
  const text = own ?? (refName(schema) ? '' : target?.description ?? '');
  return [safeMarkdown(text), constraints(spec, schema)].filter(Boolean).join(' ');
}

/** Rows for an object's fields; inline object fields are opened under a dotted name. */
function fieldRows(spec, schema, prefix = '', depth = 0) {
  const s = refName(schema) && depth > 0 ? undefined : deref(spec, schema);
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  const rows = [];
  for (const [name, prop] of Object.entries(s.properties)) {
    const full = `${prefix}${name}`;
    rows.push([inlineCode(full), typeLabel(spec, prop), required.has(name) ? 'yes' : '', oneLine(describeField(spec, prop))]);
    if (!refName(prop) && prop.properties && depth < 3) rows.push(...fieldRows(spec, prop, `${full}.`, depth + 1));
    if (!refName(prop) && prop.type === 'array' && prop.items?.properties && depth < 3) rows.push(...fieldRows(spec, prop.items, `${full}[].`, depth + 1));
  }
  return rows;
}

/** A schema's field table, or a line saying what it is when it has no fields. */
export function schemaBody(spec, schema) {
  const rows = fieldRows(spec, schema);
  if (rows.length > 0) return table(['Field', 'Type', 'Required', 'Description'], rows);
  const s = deref(spec, schema) ?? {};
  const note = constraints(spec, schema);
  return `Type: ${typeLabel(spec, refName(schema) ? s : schema)}.${note ? ` ${oneLine(note)}` : ''}`;
}

/** The page listing every schema of `components.schemas`, one heading (and anchor) each. */
export function schemasPage(spec) {
  const parts = [
    '---',
    'title: Schemas',
    'outline: false',
    '---',
    '',
    '# Schemas',
    '',
    'Every object the API reads or writes, as named in the OpenAPI contract (`generated/openapi.json` in the package).',
  ];
  for (const [name, schema] of Object.entries(spec.components.schemas ?? {})) {
    parts.push('', `## ${safeMarkdown(name)} {#${name.toLowerCase()}}`, '');
    if (schema.description) parts.push(cell(schema.description), '');
    parts.push(schemaBody(spec, { $ref: `#/components/schemas/${name}` }));
  }
  return `${parts.join('\n')}\n`;
}
