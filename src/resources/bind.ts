// Resource methods (`coveton.apiKeys.create(body)`): the operation table that codegen writes
// into generated/resources.ts, bound into methods, and `invoke`, which turns one method call
// into one pipeline call and the answer into the data the spec promises.
import { CovetonError, CovetonInputError } from '../errors/base.js';
import { decodeOperation } from './operations.js';
import { PagePromise } from './pagination.js';
import { PIN, type Call, type Pipeline } from '../pipeline/index.js';
import { decodeJson } from '../pipeline/decode.js';
import type { OperationSpec, OperationTable } from './types.js';
import { buildUrl } from '../transport/url.js';
import { count, toJson } from '../util/validate.js';
import type { RequestOptions } from '../public/request-options.js';

export interface Invocation {
  op: OperationSpec;
  /** `resource.method`, for errors. */
  where: string;
  path: Record<string, string>;
  query: Record<string, unknown> | undefined;
  body: unknown;
  /** The caller's options, passed on whole. */
  options: RequestOptions | undefined;
  /** The pipeline call of the operation without options, made once per method. */
  call: Call;
}

export type Invoke = (invocation: Invocation) => Promise<unknown>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A path parameter as the URL will carry it. `.` and `..` survive percent-encoding and would
 * move the request to another endpoint; a lone surrogate cannot be encoded at all.
 */
export function checkPathParam(where: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new CovetonInputError(where, `must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
  }
  if (value === '.' || value === '..') throw new CovetonInputError(where, `must not be "${value}"`);
  if (LONE_SURROGATE.test(value)) throw new CovetonInputError(where, 'must be well-formed Unicode (it holds a lone surrogate)');
  return value;
}

/**
 * A resource method's arguments, checked in their order: path parameters, the body (required or
 * not), the query (an object, required or not), the options. The raw client checks its values
 * here too, in the same order (./raw-client.ts), so that both keep one rule.
 */
export function checkArgs(where: string, op: OperationSpec, call: Call, args: unknown[]): Invocation {
  const path: Record<string, string> = {};
  const params = op.pathParams;
  let next = 0;
  for (; next < params.length; next++) {
    const value = args[next];
    // The label is built only when the value is wrong ('', '.', '..' and lone surrogates are).
    path[params[next]!] = typeof value === 'string' && value.length > 2 && !LONE_SURROGATE.test(value) ? value : checkPathParam(`${where}(${params[next]})`, value);
  }
  let body: unknown;
  let query: Record<string, unknown> | undefined;
  if (op.body !== 'none') {
    body = args[next++];
    if (op.body === 'required' && (body === undefined || body === null)) {
      throw new CovetonInputError(`${where}(body)`, 'is required');
    }
  }
  if (op.query !== 'none') {
    const value = args[next++];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new CovetonInputError(`${where}(query)`, 'must be an object of query parameters');
    }
    if (op.query === 'required' && value === undefined) throw new CovetonInputError(`${where}(query)`, 'is required');
    query = value as Record<string, unknown> | undefined;
  }
  const options = args[next] as RequestOptions | undefined;
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new CovetonInputError(`${where}(options)`, 'must be an object');
  return { op, where, path, query, body, options, call };
}

export function bindResources(table: OperationTable, invoke: Invoke): Record<string, Record<string, (...args: unknown[]) => unknown>> {
  const resources: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const [resource, operations] of Object.entries(table)) {
    const methods: Record<string, (...args: unknown[]) => unknown> = {};
    for (const [name, row] of Object.entries(operations)) {
      const op = decodeOperation(row);
      const where = `${resource}.${name}`;
      const call = operationCall(op, undefined);
      // A method that returns a promise rejects, it never throws: `apiKeys.get('').catch(h)`
      // reaches h, and Promise.allSettled settles (hostile review, side note). A list's refusal is
      // a PagePromise that rejects, so `await`, `for await` and toArray() get the same error.
      const page = op.pageSize;
      methods[name] = page
        ? (...args: unknown[]) => {
            try {
              const invocation = checkArgs(where, op, call, args);
              // Sent on every page, so checked here: a limit of another type ('3' from a query string)
              // was replaced by the default without a word. Its default and range are the spec's for
              // the operation (1 to 100, or to 1000 for device lists), as the table's row carries them
              // (`page`: default, min, max): one outside the range went out, for the API to answer 400.
              const limit = count(`${where}(limit)`, invocation.query?.limit, ...page);
              const start = typeof invocation.query?.before === 'string' ? invocation.query.before : undefined;
              // One pin for the walk's pages (../pipeline/index.ts): each goes as the first went, never
              // as a user who signed in meanwhile (A's walk would go on through B's list).
              const options = { ...invocation.options, [PIN]: {} };
              // Every page asks for `limit`, the spec's default too: a page shorter than it is the last
              // (./page-walk.ts) only if the server was asked for that many. A server whose own default
              // differed ended every walk after its first page.
              return new PagePromise(
                (before) => invoke({ ...invocation, options, query: { ...invocation.query, limit, before } }) as Promise<{ id: string }[]>,
                limit,
                start,
                where,
              );
            } catch (error) {
              return new PagePromise(() => Promise.reject(error), 1, undefined, where);
            }
          }
        : async (...args: unknown[]) => invoke(checkArgs(where, op, call, args));
    }
    resources[resource] = methods;
  }
  return resources;
}

/** What the pipeline knows of an operation: its endpoint, the table's flags, and the caller's options, whole. */
export function operationCall(op: OperationSpec, options: RequestOptions | undefined): Call {
  return {
    endpoint: `${op.method} ${op.path}`,
    options,
    idempotent: op.idempotent,
    anonymous: op.public,
    manualRedirect: op.redirect,
    ...(op.repeat ? { repeat: op.repeat } : {}),
  };
}

// What a resource method's request carries of its own; the pipeline copies before it adds
// anything (./settings.ts merges the call's and the client's headers), so these are shared.
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** One resource-method call as one pipeline call. */
export function createInvoke(pipeline: Pipeline, baseUrl: string): Invoke {
  return async ({ op, where, path, query, body, options, call }) => {
    const json = body !== undefined;
    const answer = await pipeline(
      { url: buildUrl(baseUrl, op.path, path, query), method: op.method, headers: (json ? JSON_HEADERS : NO_HEADERS) as Record<string, string>, body: json ? toJson(`${where}(body)`, body) : null },
      options ? { ...call, options } : call,
    );
    if (op.redirect) {
      if (answer.reply.status === 0) {
        // Browsers hide a redirect's Location from scripts: send the browser to the URL instead.
        throw new CovetonError(`${where} answers a redirect that a browser hides from scripts: navigate to ${baseUrl}${op.path}.`);
      }
      if (answer.reply.status >= 300 && answer.reply.status < 400) return { location: answer.reply.headers.get('location') ?? '' };
    }
    return op.returns === 'nothing' ? undefined : decodeJson(answer.text, answer.reply.status, `${where} (${op.method} ${op.path})`, op.returns);
  };
}
