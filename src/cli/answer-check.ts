// The one check of an API answer against what the CLI needs of it, for every view: a table row,
// a message, and --json alike. The SDK checks that an answer is JSON of the promised shape (an
// object, a list), not each field, and its generated schema is types only; so the CLI reads what
// a model must hold from the bundled spec itself (generated/openapi.json, the `required` list and
// the property types of components.schemas.<model>, allOf merged). A field missing, of another
// JSON type, or empty where the spec rules out the empty string, is the server breaking the
// contract: UnexpectedResponseError naming the field, which describe.ts turns into exit 1 and
// `contract_error` under --json. Before, --json passed such an answer on with exit 0 and a
// script failed later on `undefined`; a text view printed "undefined" or threw a TypeError.
import { UnexpectedResponseError } from '../index.js';
import { loadSpec } from '../tools/spec-files.js';
import { refResolver, type Schema } from '../tools/spec-model.js';

/** The models the CLI prints, and what they are called in a message. */
const NOUNS = { ApiKey: 'a key', ApiKeyWithSecret: 'a new key' } as const;
export type Model = keyof typeof NOUNS;

interface SchemaNode {
  $ref?: string;
  allOf?: SchemaNode[];
  type?: string | string[];
  items?: SchemaNode;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  minLength?: number;
  pattern?: string;
}

interface Field {
  name: string;
  required: boolean;
  /** The JSON types the spec allows; empty: any. */
  types: string[];
  /** For an array: its items' JSON types. */
  items: string[];
  /** The spec rules out '' (minLength, or a pattern that '' does not match). */
  nonEmpty: boolean;
}

let resolver: ((schema: Schema | undefined) => Schema | undefined) | undefined;

/** The spec's own $ref walk (tools/spec-model.ts), over the bundled spec. */
const resolve = (node: SchemaNode | undefined): SchemaNode | undefined => (resolver ??= refResolver(loadSpec()))(node) as SchemaNode | undefined;

const typesOf = (node: SchemaNode | undefined): string[] => {
  const type = resolve(node)?.type;
  return type === undefined ? [] : Array.isArray(type) ? type : [type];
};

const fields = new Map<Model, Field[]>();

/** A model's fields as the spec declares them, read once per model. */
function fieldsOf(model: Model): Field[] {
  let known = fields.get(model);
  if (known) return known;
  const parts: SchemaNode[] = [];
  const flatten = (node: SchemaNode | undefined): void => {
    const schema = resolve(node);
    if (!schema) return;
    parts.push(schema);
    schema.allOf?.forEach(flatten);
  };
  flatten({ $ref: `#/components/schemas/${model}` });
  const required = new Set(parts.flatMap((part) => part.required ?? []));
  known = parts.flatMap((part) =>
    Object.entries(part.properties ?? {}).map(([name, raw]) => {
      const property = resolve(raw) ?? {};
      const nonEmpty = (property.minLength ?? 0) > 0 || (property.pattern !== undefined && !new RegExp(property.pattern).test(''));
      return { name, required: required.has(name), types: typesOf(property), items: typesOf(property.items), nonEmpty };
    }),
  );
  // A required field the spec names without declaring it is still required, of any type.
  for (const name of required) if (!known.some((field) => field.name === name)) known.push({ name, required: true, types: [], items: [], nonEmpty: false });
  fields.set(model, known);
  return known;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const fits = (value: unknown, types: string[]) => types.length === 0 || types.includes(jsonType(value)) || (jsonType(value) === 'integer' && types.includes('number'));

const typeWords = (field: Field) => (field.types.includes('array') && field.items.length > 0 ? `array of ${field.items.join(' or ')}` : field.types.join(' or '));

/** What is wrong with one field of a record: absent (while required), of another type, or empty. */
function fieldProblem(record: Record<string, unknown>, field: Field): 'missing' | 'wrong' | 'empty' | undefined {
  if (!Object.hasOwn(record, field.name)) return field.required ? 'missing' : undefined;
  const got = record[field.name];
  if (!fits(got, field.types) || (Array.isArray(got) && !got.every((item) => fits(item, field.items)))) return 'wrong';
  return got === '' && field.nonEmpty ? 'empty' : undefined;
}

/** What is wrong with `value` as a `model`, in words that follow its noun; undefined when nothing is. */
function problems(value: unknown, model: Model): string | undefined {
  if (jsonType(value) !== 'object') return `that is ${jsonType(value)}, not an object`;
  const record = value as Record<string, unknown>;
  const missing: string[] = [];
  const wrong: string[] = [];
  const empty: string[] = [];
  for (const field of fieldsOf(model)) {
    const problem = fieldProblem(record, field);
    if (problem === 'missing') missing.push(field.name);
    else if (problem === 'wrong') wrong.push(`${field.name} (${typeWords(field)})`);
    else if (problem === 'empty') empty.push(field.name);
  }
  const said = [
    missing.length > 0 && `missing the required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    wrong.length > 0 && `with ${wrong.join(', ')} not of the spec's type`,
    empty.length > 0 && `with ${empty.join(', ')} empty`,
  ].filter((part): part is string => part !== false);
  return said.length === 0 ? undefined : said.join('; ');
}

/**
 * One string field of `value` when that field passes the check on its own (present, a string,
 * not empty where the spec rules it out), whatever the rest of `value` lacks: e.g. a new key's
 * `secret`, which must reach the user even when the answer around it breaks the contract.
 */
export function sound(value: unknown, model: Model, name: string): string | undefined {
  if (jsonType(value) !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const field = fieldsOf(model).find((known) => known.name === name);
  const got = record[name];
  return field && Object.hasOwn(record, name) && typeof got === 'string' && fieldProblem(record, field) === undefined ? got : undefined;
}

export interface AnswerOf {
  /** `apiKeys.get (GET /api-keys/{id})`, as the SDK names operations in its errors. */
  operation: string;
  status: number;
  /** For a list: the item's place in its page, counted from 1. */
  item?: number;
  /** Said after the problem, e.g. what may have happened on the server anyway. */
  hint?: string;
}

/**
 * Reads what the spec requires of `model` now, so that a missing or broken bundled spec stops a
 * command before it sends anything. Read after a create's POST, it lost the new key's one-time
 * secret after the server had made the key (a review's repro).
 */
export function prepareCheck(model: Model): void {
  fieldsOf(model);
}

/** The contract error naming what `value` lacks as a `model`; undefined when it holds what the spec requires. */
export function contractError(value: unknown, model: Model, answer: AnswerOf): UnexpectedResponseError | undefined {
  const wrong = problems(value, model);
  if (wrong === undefined) return undefined;
  const where = answer.item === undefined ? '' : ` (item ${answer.item} of its page)`;
  const hint = answer.hint === undefined ? '' : ` (${answer.hint})`;
  return new UnexpectedResponseError(answer.operation, answer.status, `${NOUNS[model]}${where} ${wrong}${hint}`);
}

/** `value`, once it holds what the spec requires of a `model`; else the contract error naming what it lacks. */
export function checked<T>(value: T, model: Model, answer: AnswerOf): T {
  const broken = contractError(value, model, answer);
  if (broken) throw broken;
  return value;
}

/** Every item of a list page checked (checked), before any of it is printed. */
export function checkedPage<T>(page: readonly T[], model: Model, answer: AnswerOf): readonly T[] {
  page.forEach((item, index) => checked(item, model, { ...answer, item: index + 1 }));
  return page;
}
