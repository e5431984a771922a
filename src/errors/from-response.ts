import { redact } from '../redact.js';
import { parseRetryAfter, readRateLimit } from '../rate-limit-headers.js';
import { APIError, errorClassFor, type ErrorEnvelope } from './api-error.js';

export interface ErrorContext {
  method: string;
  /** The path template or path, never with a query string. */
  path: string;
  /** Secrets to scrub from whatever the server put in the body. */
  secrets: readonly (string | undefined)[];
  now?: number;
}

function envelopeOf(body: unknown): Partial<ErrorEnvelope> | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const inner = (body as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null ? (inner as Partial<ErrorEnvelope>) : undefined;
}

/** What a non-envelope body was, in words, without echoing it (a proxy page may hold anything). */
function describeForeignBody(body: unknown, headers: Headers): string {
  const type = headers.get('content-type')?.split(';')[0]?.trim();
  if (body === undefined || body === null || body === '') return 'the response had an empty body';
  if (typeof body === 'string') {
    const kind = /^\s*</.test(body) ? 'an HTML page' : type === 'application/json' ? 'malformed JSON' : 'a non-JSON body';
    return `the response was ${kind}${type ? ` (${type})` : ''}, ${body.length} characters, not the API's error envelope`;
  }
  return 'the response JSON was not the API\'s error envelope';
}

/**
 * Builds the typed error for a 4xx/5xx. `body` is what the transport parsed: the envelope
 * object, raw text (an HTML page, broken JSON), or nothing.
 */
export function errorFromResponse(
  status: number,
  statusText: string,
  headers: Headers,
  body: unknown,
  context: ErrorContext,
): APIError {
  const envelope = envelopeOf(body);
  const code = typeof envelope?.code === 'string' ? envelope.code : undefined;
  const serverMessage = typeof envelope?.message === 'string' ? envelope.message : undefined;
  const message = serverMessage
    ? redact(serverMessage, context.secrets)
    : `HTTP ${status}${statusText ? ` ${statusText}` : ''}; ${describeForeignBody(body, headers)}`;
  const Class = errorClassFor(status, code);
  return new Class({
    status,
    code: Class === APIError ? undefined : (code as ErrorEnvelope['code'] | undefined) ?? codeForStatus(status),
    message,
    headers,
    requestId:
      (typeof envelope?.requestId === 'string' ? envelope.requestId : undefined) ??
      headers.get('x-request-id') ??
      undefined,
    reason: envelope?.reason,
    details: Array.isArray(envelope?.details)
      ? envelope.details.map((d) => ({ path: String(d.path), message: redact(String(d.message), context.secrets) }))
      : undefined,
    rateLimit: readRateLimit(headers),
    retryAfterMs: parseRetryAfter(headers, context.now ?? Date.now()),
    endpoint: `${context.method.toUpperCase()} ${context.path.split('?')[0]}`,
  });
}

function codeForStatus(status: number): ErrorEnvelope['code'] | undefined {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 409: return 'CONFLICT';
    case 422: return 'VALIDATION';
    case 429: return 'RATE_LIMITED';
    default: return status >= 500 ? 'INTERNAL' : undefined;
  }
}
