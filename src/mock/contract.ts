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
interface PrismOperation {
  method: string;
  path: string;
}
interface PrismValidators {
  validateInput(args: { resource: PrismOperation; element: unknown }): Either<Diagnostic[], unknown>;
  validateOutput(args: { resource: PrismOperation; element: unknown }): Either<Diagnostic[], unknown>;
}

const ERROR = 0;

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
  const { getHttpOperationsFromSpec } = load('@stoplight/prism-http/dist/utils/operations') as {
    getHttpOperationsFromSpec(spec: string): Promise<PrismOperation[]>;
  };
  const operations = await getHttpOperationsFromSpec(specPath);
  const byKey = new Map(operations.map((op) => [`${op.method.toLowerCase()} ${op.path}`, op]));
  const find = (method: string, template: string) => {
    const op = byKey.get(`${method.toLowerCase()} ${template}`);
    if (!op) throw new Error(`Prism does not know ${method.toUpperCase()} ${template}`);
    return op;
  };
  return {
    validateRequest(method, template, element) {
      const hasBody = element.body !== undefined;
      const headers = { ...element.headers, 'content-length': hasBody ? element.headers['content-length'] ?? '1' : '0' };
      return violations(
        validators.validateInput({
          resource: find(method, template),
          element: { method: method.toLowerCase(), url: { path: element.path, query: element.query }, headers, body: element.body },
        }),
      );
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
