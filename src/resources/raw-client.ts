// The typed raw client (`coveton.GET('/api-keys/{id}', { params: { path: { id } } })`): the
// types are openapi-fetch's, the runtime is this file, on the same pipeline as the resource
// methods. Each request is matched to its row of the operation table so that the same rules
// apply (path-parameter guard, idempotency key, public operations without a session token,
// one-time credentials). Like openapi-fetch, an HTTP error comes back as `{ error }`, not thrown:
// the envelope of the typed error the pipeline built, redacted there (never the body as sent).
// The builder of that error is loaded before the first send, so the error can always be built.
import type { Client } from 'openapi-fetch';
import type { ClientPaths } from '../../generated/resources.js';
import { CovetonInputError } from '../errors/base.js';
import type { APIError, ErrorEnvelope } from '../errors/api-error.js';
import { builder } from '../pipeline/outcome.js';
import { lowerCaseHeaders, NULL_BODY_STATUSES, type Reply } from '../transport/outgoing.js';
import { decodeOperation } from './operations.js';
import type { Pipeline } from '../pipeline/index.js';
import { decodeJson } from '../pipeline/decode.js';
import { checkArgs, checkPathParam, operationCall } from './bind.js';
import type { OperationSpec, OperationTable } from './types.js';
import { buildUrl } from '../transport/url.js';
import { toJson } from '../util/validate.js';
import { hideSecrets } from '../util/redact.js';
import type { RawClient } from '../public/client.js';
import type { RequestOptions } from '../public/request-options.js';

/** openapi-fetch's init, plus the per-call options every method takes (passed on whole). */
interface RawInit extends Omit<RequestOptions, 'headers'> {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  headers?: HeadersInit;
  body?: unknown;
  parseAs?: 'json' | 'text';
}

/**
 * What a raw call's init may hold: openapi-fetch's own that this runtime honours, and the
 * per-call options (a key added to RequestOptions fails to compile here until it is listed).
 * Anything else is refused rather than ignored in silence, although openapi-fetch's types take
 * it: its client-level settings (the client's own `baseUrl` and transport rule), serializers
 * (the SDK's rules are the spec's), middleware (hooks are the SDK's extension point), fetch's
 * RequestInit options (`credentials`, `keepalive`, `redirect`, `cache`, `mode`, `priority`...:
 * the transport decides them, and undici has none of them), and a misspelt key.
 */
const HONOURED: Record<keyof RawInit, true> = { params: true, headers: true, body: true, parseAs: true, signal: true, timeout: true, deadline: true, maxRetries: true, idempotencyKey: true, hooks: true };
const OPENAPI_FETCH = ['baseUrl', 'fetch', 'querySerializer', 'bodySerializer', 'pathSerializer', 'middleware'];

function checkInit(init: RawInit): void {
  for (const [name, value] of Object.entries(init)) {
    if (value === undefined || Object.hasOwn(HONOURED, name)) continue;
    throw new CovetonInputError(
      name,
      OPENAPI_FETCH.includes(name)
        ? "is openapi-fetch's, and not honoured by this client"
        : 'is not honoured by this client, which takes params, headers, body, parseAs and the per-call options (signal, timeout, deadline, maxRetries, idempotencyKey, hooks)',
    );
  }
}

/** The API's query parameters are strings, numbers and booleans; anything else went out as `[object Object]`, a locale date or `NaN`. */
function checkQuery(query: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && typeof item !== 'string' && typeof item !== 'boolean' && !Number.isFinite(item)) {
        throw new CovetonInputError(`query parameter ${name}`, 'must be a string, a number or a boolean');
      }
    }
  }
}

/** A body sent as is (a string, bytes), or data that is JSON: a Blob, a Map or URLSearchParams became `{}`. */
function bodyOf(data: unknown): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const proto = typeof data === 'object' && data !== null ? Object.getPrototypeOf(data) : null;
  if (proto !== null && proto !== Object.prototype && proto !== Array.prototype) {
    throw new CovetonInputError('body', 'must be JSON data (a plain object or array), a string, or bytes');
  }
  return toJson('body', data);
}

/**
 * A 4xx/5xx as openapi-fetch's `error`, in the spec's shape (`{ error: { code, message, ... } }`):
 * the envelope the SDK's typed error holds, redacted where that error is built
 * (../pipeline/from-response.ts), never the server's body as sent (an echoed key or token came
 * back whole). A body that was not the envelope (none, `null`, an HTML page, other JSON) gets the one
 * the SDK's error describes it with. `code` is the error's: a code the SDK does not know is never kept.
 */
function envelopeOf(error: APIError): { error: ErrorEnvelope } {
  const { code, body, requestId } = error;
  return { error: { ...(code && { code }), ...(body ?? { message: error.message, ...(requestId !== undefined && { requestId }) }) } as ErrorEnvelope };
}

function toResponse(reply: Reply, text: string | undefined, headers = reply.toHeaders()): Response {
  // A Response carries 200 to 599 only: status 0 (a hidden browser redirect), 1xx, or a server's
  // 600+ (undici and fetch both pass any three digits on) is a bad gateway answer.
  const status = reply.status < 200 || reply.status > 599 ? 502 : reply.status;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : (text ?? ''), { status, statusText: reply.statusText, headers });
}

/**
 * Every operation of the table, decoded, with its resource and method name: the raw client's
 * routes. Here rather than in ./operations.ts, so that a client loads it with the raw client.
 */
export function allOperations(table: OperationTable): { resource: string; name: string; op: OperationSpec }[] {
  return Object.entries(table).flatMap(([resource, ops]) => Object.entries(ops).map(([name, row]) => ({ resource, name, op: decodeOperation(row) })));
}

/** `secrets`: every secret the client's authenticators hold now (../client.ts), hidden from an error answer's `response`. */
export function rawClient(pipeline: Pipeline, baseUrl: string, table: OperationTable, secrets: () => readonly (string | undefined)[]): RawClient {
  const byRoute = new Map<string, OperationSpec>();
  for (const { op } of allOperations(table)) byRoute.set(`${op.method} ${op.path}`, op);

  const method = (verb: OperationSpec['method']) => async (template: string, init: RawInit = {}) => {
    const where = `${verb} ${template}`;
    const op = byRoute.get(where);
    // Session-only operations (coveton.session.*) and the payment processors' webhooks are not
    // in the table: an untyped call to them is refused, as the types refuse a typed one.
    if (!op) throw new CovetonInputError(where, 'is not an operation of this client (sign-in and sign-out are coveton.session.*)');
    checkInit(init);
    const { params, headers: given, body: data, parseAs, ...options } = init;
    if (parseAs !== undefined && parseAs !== 'json' && parseAs !== 'text') throw new CovetonInputError('parseAs', "must be 'json' or 'text' (files.download reads bytes and streams)");
    checkQuery(params?.query);
    // Every parameter of the template, present or not: a missing one used to become an empty
    // segment, so `DELETE /api-keys/{id}` without an id was sent as `DELETE /api-keys/`.
    const path: Record<string, string> = {};
    for (const name of op.pathParams) path[name] = checkPathParam(`path parameter ${name}`, params?.path?.[name]);
    // The resource methods' argument rules (./bind.ts checkArgs), on the same values in their
    // order: a required body (or query) is there, a query is an object. A body for an operation
    // that takes none has no place among a resource method's arguments, so it is refused here: fetch
    // threw on a GET with a body (taken for a network failure and retried), undici sent it.
    if (op.body === 'none' && data !== undefined) throw new CovetonInputError('body', `is not taken by ${where}`);
    const call = operationCall(op, options);
    checkArgs(where, op, call, [...op.pathParams.map((name) => path[name]), ...(op.body === 'none' ? [] : [data]), ...(op.query === 'none' ? [] : [params?.query])]);
    // openapi-fetch's headers are the request's own: the caller's wins over the JSON content type.
    const headers = lowerCaseHeaders(given);
    for (const [name, value] of Object.entries(params?.header ?? {})) if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    let body: string | Uint8Array | null = null;
    if (data !== undefined) {
      body = bodyOf(data);
      headers['content-type'] ??= 'application/json';
    }
    // The API errors' builder first, so that an error answer is always `{ error }`: a builder that
    // did not load is this call's ChunkLoadError before anything is sent, not after the answer.
    await builder();
    const answer = await pipeline(
      { url: buildUrl(baseUrl, template, path, params?.query), method: verb, headers, body },
      { ...call, returnErrors: true },
    );
    const { reply, text } = answer;
    // Every 4xx/5xx has an error, an empty or `null` body too (openapi-fetch gives `undefined`
    // or `null` there, and `if (error)` took a 404 or a 500 for success). Its `response` keeps
    // the server's text and headers, but with every known secret (the key, the tokens, what an
    // authenticator declares) hidden, as the typed error's headers are: a server that echoes the
    // credential in an error handed it to whoever logs the response. Known secrets only, never
    // the pattern pass: the text stays as sent otherwise (`coveton contract` grades Prism's).
    if (reply.status < 200 || reply.status >= 300) {
      const error = answer.error as APIError;
      return { error: envelopeOf(error), response: toResponse(reply, hideSecrets(text ?? '', secrets()), error.headers) };
    }
    const response = toResponse(reply, text);
    if (!text) return { data: undefined, response };
    if (parseAs === 'text') return { data: text, response };
    return { data: decodeJson(text, reply.status, where, 'value'), response };
  };

  return { GET: method('GET'), PUT: method('PUT'), POST: method('POST'), DELETE: method('DELETE'), PATCH: method('PATCH') } as unknown as RawClient;
}
