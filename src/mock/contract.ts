// Every request and every response of the stateful mock is checked with Stoplight Prism's own
// validators (the ones `prism mock` runs), loaded in-process from the optional peer dependency
// @stoplight/prism-cli. They are required at run time, never bundled: Prism stays optional.
import { createRequire } from 'node:module';
import { resolvePrism } from '../tools/prism.js';

/** One broken rule, as Prism reports it. */
export interface Violation {
  /** Where: `['body', 'ciphertext']`, `['query', 'limit']`, `['path', 'id']`, `['header', 'x-ratelimit-limit']`. */
  path: string[];
  /** The JSON Schema keyword or Prism code (`pattern`, `required`, `maxLength`, ...). */
  rule: string;
  message: string;
}

export interface HttpRequestElement {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface HttpResponseElement {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Contract {
  validateRequest(method: string, template: string, element: HttpRequestElement): Violation[];
  validateResponse(method: string, template: string, element: HttpResponseElement): Violation[];
}

type Either<L, R> = { _tag: 'Left'; left: L } | { _tag: 'Right'; right: R };
interface Diagnostic {
  path?: (string | number)[];
  code?: string | number;
  message: string;
  severity: number;
}
interface PrismParameter {
  name: string;
  schema?: Record<string, unknown>;
}
interface PrismOperation {
  method: string;
  path: string;
  request?: { query?: PrismParameter[]; headers?: PrismParameter[] };
}
interface PrismValidators {
  validateInput(args: { resource: PrismOperation; element: unknown }): Either<Diagnostic[], unknown>;
  validateOutput(args: { resource: PrismOperation; element: unknown }): Either<Diagnostic[], unknown>;
}

const ERROR = 0;
const INPUT = 0; // Prism's ValidationContext.Input

type SchemaCheck = (value: unknown, schema: object, coerce: boolean, context: number, prefix: string, bundle: unknown) => { _tag: 'None' } | { _tag: 'Some'; value: Diagnostic[] };

// Prism reads query and header values loosely: an empty value is taken as absent (so `limit=`
// passes and reaches the handler as ''), and a number is coerced (`0x10`, ` 1`, `1e1`). The API
// takes a value as sent, so those values are checked again without coercion, against the same
// parameter schemas. A numeric value of plain decimal digits is left to Prism (coerced, then its
// minimum and maximum checked).
const PLAIN = { integer: /^-?[0-9]+$/, number: /^-?[0-9]+(\.[0-9]+)?$/ };

function looseValues(sent: Record<string, string | string[]>, params: PrismParameter[]): Record<string, string> | undefined {
  const byName = new Map(Object.entries(sent).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, string> = {};
  for (const p of params) {
    const name = p.name.toLowerCase();
    const value = byName.get(name);
    if (typeof value !== 'string') continue;
    const types = [p.schema?.type].flat();
    const numeric = types.includes('integer') ? PLAIN.integer : types.includes('number') ? PLAIN.number : undefined;
    if (value === '' || (numeric && !numeric.test(value))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Prism's findings and the as-sent ones, each broken rule once: an as-sent finding Prism made too
 * is dropped, and Prism's "missing" for a parameter that was sent empty gives way to what is wrong
 * with the empty value.
 */
function merge(found: Violation[], asSent: Violation[]): Violation[] {
  const at = (v: Violation) => v.path.join('.');
  const missing = (v: Violation) => (v.rule === 'required' && v.path.length === 1 ? `${v.path[0]}.${/'([^']+)'$/.exec(v.message)?.[1]}` : '');
  const sentEmpty = new Set(asSent.map(at));
  const prism = new Set(found.map(at));
  return [...found.filter((v) => !sentEmpty.has(missing(v))), ...asSent.filter((v) => !prism.has(at(v)))];
}

/** The parameters of one location as one object schema, as Prism builds it (names in lower case). */
const objectSchema = (params: PrismParameter[]) => ({ type: 'object', properties: Object.fromEntries(params.map((p) => [p.name.toLowerCase(), p.schema ?? {}])) });

function violations(result: Either<Diagnostic[], unknown>, strictStatus = false): Violation[] {
  if (result._tag === 'Right') return [];
  // Prism reports an undocumented error status as a warning; for our own answers it is a bug.
  const counts = (d: Diagnostic) => d.severity === ERROR || (strictStatus && d.message.startsWith('Unable to match the returned status code'));
  return result.left
    .filter(counts)
    .map((d) => ({ path: (d.path ?? []).map(String), rule: String(d.code ?? 'schema'), message: d.message }));
}

/** Loads Prism's validators and its view of the spec (about a second: start it early). */
export async function loadContract(specPath: string): Promise<Contract> {
  const prism = resolvePrism();
  const load = createRequire(prism.entry);
  const validators = load('@stoplight/prism-http/dist/validator') as PrismValidators;
  const { validateAgainstSchema } = load('@stoplight/prism-http/dist/validator/validators/utils') as { validateAgainstSchema: SchemaCheck };
  const { getHttpOperationsFromSpec } = load('@stoplight/prism-http/dist/utils/operations') as {
    getHttpOperationsFromSpec(spec: string): Promise<PrismOperation[]>;
  };
  const operations = await getHttpOperationsFromSpec(specPath);
  const byKey = new Map(operations.map((op) => [`${op.method.toLowerCase()} ${op.path}`, op]));
  // One schema object per operation and location: Prism caches compiled validators by schema object.
  const schemas = new Map<string, object>();
  const asSent = (op: PrismOperation, prefix: 'query' | 'header', sent: Record<string, string | string[]>): Violation[] => {
    const params = (prefix === 'query' ? op.request?.query : op.request?.headers) ?? [];
    const values = looseValues(sent, params);
    if (!values) return [];
    const key = `${op.method} ${op.path} ${prefix}`;
    const schema = schemas.get(key) ?? schemas.set(key, objectSchema(params)).get(key)!;
    const found = validateAgainstSchema(values, schema, false, INPUT, prefix, (op as unknown as Record<string, unknown>)['__bundled__']);
    return found._tag === 'Some' ? violations({ _tag: 'Left', left: found.value }) : [];
  };
  const find = (method: string, template: string) => {
    const op = byKey.get(`${method.toLowerCase()} ${template}`);
    if (!op) throw new Error(`Prism does not know ${method.toUpperCase()} ${template}`);
    return op;
  };
  return {
    validateRequest(method, template, element) {
      const hasBody = element.body !== undefined;
      const headers = { ...element.headers, 'content-length': hasBody ? element.headers['content-length'] ?? '1' : '0' };
      const resource = find(method, template);
      const found = violations(
        validators.validateInput({
          resource,
          element: { method: method.toLowerCase(), url: { path: element.path, query: element.query }, headers, body: element.body },
        }),
      );
      return merge(found, [...asSent(resource, 'query', element.query), ...asSent(resource, 'header', element.headers)]);
    },
    validateResponse(method, template, element) {
      return violations(validators.validateOutput({ resource: find(method, template), element }), true);
    },
  };
}

/** `body.ciphertext: must match pattern "..." (rule pattern)` */
export function describeViolation(v: Violation): string {
  const where = v.path.length > 0 ? v.path.join('.') : 'request';
  // Prism says "Request path parameter id must match ..." or "Response body property user must
  // have ...": keep what follows the name, since `where` names it already.
  let text = v.message.replace(/^(Request|Response)\s+(?:(?:body|path|query|header|headers)\s+)?(?:(?:property|parameter|params|param)\s+)?/i, '');
  const last = v.path[v.path.length - 1];
  if (last !== undefined && text.startsWith(`${last} `)) text = text.slice(last.length + 1);
  return `${where}: ${text} (rule: ${v.rule})`;
}
