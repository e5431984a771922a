// Schemas as Markdown: a type label linking to each schema's own page, and fields as a stacked
// list (name, type and whether required on one line, the description under it) that reads on a
// phone; an inline object's fields open under a <details> one level at a time.
import { deref } from '../contract.mjs';
import { cell, inlineCode, oneLine, safeMarkdown } from './text.mjs';

export const SCHEMAS_PAGE = '/reference/schemas/';

export const schemaPath = (name) => `${SCHEMAS_PAGE}${name}`;
export const schemaLink = (name) => `[${safeMarkdown(name)}](${schemaPath(name)})`;

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

/**
 * One field: its line, its description, and (for an inline object, or an array of them) its own
 * fields in a <details> that opens in place.
 */
export function field({ name, type, required, description, children = '' }) {
  const head = `${inlineCode(name)} <span class="field-type">${oneLine(type)}</span>${required ? ' <span class="field-required">required</span>' : ''}`;
  return ['<div class="field">', '', head, '', description ? oneLine(description) : '', children, '</div>'].filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n');
}

function nested(spec, schema, label, depth) {
  const inner = fieldList(spec, schema, depth + 1);
  if (!inner) return '';
  return ['', `<details class="field-children"><summary>Fields of ${inlineCode(label)}</summary>`, '', inner, '', '</details>', ''].join('\n');
}

/** An object's fields as a list; '' when it has none. */
export function fieldList(spec, schema, depth = 0) {
  const s = refName(schema) && depth > 0 ? undefined : deref(spec, schema);
  if (!s?.properties) return '';
  const required = new Set(s.required ?? []);
  const items = Object.entries(s.properties).map(([name, prop]) => {
    let children = '';
    if (!refName(prop) && prop.properties && depth < 3) children = nested(spec, prop, name, depth);
    else if (!refName(prop) && prop.type === 'array' && prop.items?.properties && !refName(prop.items) && depth < 3) children = nested(spec, prop.items, `${name}[]`, depth);
    return field({ name, type: typeLabel(spec, prop), required: required.has(name), description: describeField(spec, prop), children });
  });
  return ['<div class="fields">', '', ...items.flatMap((i) => [i, '']), '</div>'].join('\n');
}

/** A schema's fields, or a line saying what it is when it has none. */
export function schemaBody(spec, schema) {
  const list = fieldList(spec, schema);
  if (list) return list;
  const s = deref(spec, schema) ?? {};
  const note = constraints(spec, schema);
  return `Type: ${typeLabel(spec, refName(schema) ? s : schema)}.${note ? ` ${oneLine(note)}` : ''}`;
}

/** The page of one schema of `components.schemas`. */
export function schemaPage(spec, name) {
  const schema = spec.components.schemas[name];
  return [
    '---',
    `title: ${JSON.stringify(`${name} schema`)}`,
    // Searching a schema's name finds the index, which lists them all: the search index stays small.
    'search: false',
    '---',
    '',
    `# ${safeMarkdown(name)} {#schema}`,
    '',
    schema.description ? `${safeMarkdown(schema.description)}\n` : '',
    schemaBody(spec, { $ref: `#/components/schemas/${name}` }),
    '',
    `[All schemas](${SCHEMAS_PAGE})`,
    '',
  ].join('\n');
}

/** The index of the schemas: each with the first sentence of its description. */
export function schemasIndex(spec) {
  const names = Object.keys(spec.components.schemas ?? {});
  const rows = names.map((name) => `- ${schemaLink(name)}${spec.components.schemas[name].description ? `: ${cell(spec.components.schemas[name].description.split(/(?<=\.)\s/)[0])}` : ''}`);
  return ['---', 'title: Schemas', '---', '', '# Schemas', '', `The ${names.length} objects the API reads or writes, as named in the OpenAPI contract (\`generated/openapi.json\` in the package); each has its own page.`, '', ...rows, ''].join('\n');
}
