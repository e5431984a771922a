// Turns the operation table that codegen writes into `generated/resources.ts` into resource
// methods (`coveton.apiKeys.create(body)`), so a new operation in the spec needs no hand edit.
import { CovetonInputError } from './errors/base.js';
import { PagePromise } from './pagination.js';
import type { CallOptions } from './transport.js';

export interface OperationSpec {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Path parameters, in path order; they are the method's first arguments. */
  readonly pathParams: readonly string[];
  readonly body: 'none' | 'optional' | 'required';
  readonly query: 'none' | 'optional' | 'required';
  /** Takes an `Idempotency-Key` header. */
  readonly idempotent: boolean;
  /** A list with `limit` and `before`: the method returns a PagePromise. */
  readonly paginated: boolean;
  readonly defaultLimit: number;
  /** The success answer is a redirect: the method returns its `Location`. */
  readonly redirect: boolean;
  /** `security: []` in the spec: no session token is sent. */
  readonly public: boolean;
  /** Repeat only when the request never reached the server (a one-time credential rides on it). */
  readonly repeat?: 'if-not-sent';
}

export type OperationTable = Readonly<Record<string, Readonly<Record<string, OperationSpec>>>>;

export interface Invocation {
  op: OperationSpec;
  path: Record<string, string>;
  query: Record<string, unknown> | undefined;
  body: unknown;
  call: CallOptions;
}

export type Invoke = (invocation: Invocation) => Promise<unknown>;

function checkArgs(resource: string, name: string, op: OperationSpec, args: unknown[]): Invocation {
  const where = `${resource}.${name}`;
  const path: Record<string, string> = {};
  op.pathParams.forEach((param, i) => {
    const value = args[i];
    if (typeof value !== 'string' || value === '') {
      throw new CovetonInputError(`${where}(${param})`, `must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
    }
    // `.` and `..` survive percent-encoding and would move the request to another endpoint.
    if (value === '.' || value === '..') throw new CovetonInputError(`${where}(${param})`, `must not be "${value}"`);
    path[param] = value;
  });
  let next = op.pathParams.length;
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
  const call = (args[next] ?? {}) as CallOptions;
  if (typeof call !== 'object') throw new CovetonInputError(`${where}(options)`, 'must be an object');
  return { op, path, query, body, call };
}

export function bindResources(table: OperationTable, invoke: Invoke): Record<string, Record<string, (...args: unknown[]) => unknown>> {
  const resources: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const [resource, operations] of Object.entries(table)) {
    const methods: Record<string, (...args: unknown[]) => unknown> = {};
    for (const [name, op] of Object.entries(operations)) {
      methods[name] = (...args: unknown[]) => {
        const invocation = checkArgs(resource, name, op, args);
        if (!op.paginated) return invoke(invocation);
        const limit = typeof invocation.query?.limit === 'number' ? invocation.query.limit : op.defaultLimit;
        const start = typeof invocation.query?.before === 'string' ? invocation.query.before : undefined;
        return new PagePromise(
          (before) => invoke({ ...invocation, query: { ...invocation.query, before } }) as Promise<{ id: string }[]>,
          limit,
          start,
          `${resource}.${name}`,
        );
      };
    }
    resources[resource] = methods;
  }
  return resources;
}
