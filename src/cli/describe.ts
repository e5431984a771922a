// Turns whatever a command threw into one readable message that names the cause, a JSON form
// for --json, and the exit code (exit-codes.ts). Secrets never appear: the SDK keeps them out of
// its errors, and Output redacts the user's key from every message on top of that. Text that
// came from the server (messages, details, request ids) is stripped of terminal escape
// sequences here, before it can reach a terminal.
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  BodyTooLargeError,
  CovetonInputError,
  ForbiddenError,
  PaginationError,
  RateLimitedError,
  RedirectError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
} from '../index.js';
import { EXIT, type ExitCode } from '../tools/exit-codes.js';
import { CommandFailure, UsageError } from '../tools/failures.js';
import { printable } from './terminal-text.js';
import { reasonText } from './reasons.js';

import { NETWORK_CODES, safeUrl } from './errors.js';

export interface Described {
  exitCode: ExitCode;
  message: string;
  json: Record<string, unknown>;
}

function networkWords(error: APIConnectionError): string {
  // The socket's error code: on the error itself where the SDK gives it, else in its message.
  const own = (error as { code?: unknown }).code;
  const code = typeof own === 'string' ? own : /\(([A-Z_]+)\)/.exec(error.message)?.[1];
  if (code && NETWORK_CODES[code]) return NETWORK_CODES[code];
  if (code?.includes('CERT') || code?.includes('TLS')) return `TLS failure (${code})`;
  // fetch's own TypeError ("fetch failed") hides the real cause one level down.
  const inner = (error.cause as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  return printable(typeof inner === 'string' && inner !== '' ? inner : error.message.replace(/\.$/, ''));
}

const FLAG_OF_FIELD: Record<string, string> = {
  baseUrl: '--base-url (or COVETON_BASE_URL)',
  apiKey: '--api-key (or COVETON_API_KEY)',
};

function describeApiError(error: APIError): Described {
  const reason = error instanceof UnauthorizedError || error instanceof ForbiddenError ? error.reason : undefined;
  const head = `${error.endpoint} failed with ${error.status}${error.code ? ` ${error.code}` : ''}`;
  const words = reasonText(reason);
  let cause: string;
  if (words) cause = words;
  else if (error instanceof ValidationError && error.details.length > 0) {
    cause = `${serverMessage(error)}: ${error.details.map((d) => printable(`${d.path}: ${d.message}`)).join('; ')}`;
  } else if (error instanceof RateLimitedError) {
    cause = `rate limited${error.retryAfterMs !== undefined ? `: retry in ${Math.ceil(error.retryAfterMs / 1000)} s` : ''}`;
  } else cause = serverMessage(error);
  const requestId = error.requestId === undefined ? undefined : printable(error.requestId);
  const request = requestId ? ` (request id ${requestId})` : '';
  return {
    exitCode: EXIT.API_ERROR,
    message: `${head}: ${cause}${request}`,
    json: {
      type: 'api_error',
      status: error.status,
      code: error.code,
      reason,
      message: cause,
      requestId,
      endpoint: error.endpoint,
      ...(error instanceof ValidationError ? { details: error.details } : {}),
    },
  };
}

/** The server's message without the SDK's "401 UNAUTHORIZED on GET /x: " prefix. */
function serverMessage(error: APIError): string {
  const prefix = `${error.status}${error.code ? ` ${error.code}` : ''} on ${error.endpoint}: `;
  return printable(error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message);
}

/** `baseUrl` is shown in network errors: origin and path only, never a query string or userinfo. */
export function describeError(error: unknown, baseUrl?: string): Described {
  if (error instanceof UsageError) {
    return { exitCode: EXIT.USAGE, message: error.message, json: { type: 'usage_error', message: error.message } };
  }
  if (error instanceof CommandFailure) {
    return { exitCode: error.exitCode, message: error.message, json: { type: 'failure', message: error.message, ...error.details } };
  }
  if (error instanceof CovetonInputError) {
    const flag = FLAG_OF_FIELD[error.field];
    const message = flag ? `${flag} ${error.message.slice(error.field.length + 2)}` : error.message;
    return { exitCode: EXIT.USAGE, message, json: { type: 'usage_error', message } };
  }
  if (error instanceof APIError) return describeApiError(error);
  if (error instanceof APIConnectionError) {
    const where = baseUrl ? safeUrl(baseUrl) : 'the server';
    const message =
      error instanceof APITimeoutError
        ? `no answer from ${where}: ${error.message}`
        : `could not reach ${where}: ${networkWords(error)} (check --base-url / COVETON_BASE_URL and your network)`;
    return { exitCode: EXIT.NETWORK, message, json: { type: 'network_error', message } };
  }
  if (error instanceof UnexpectedResponseError || error instanceof RedirectError || error instanceof PaginationError || error instanceof BodyTooLargeError) {
    // The server answered, with something the API contract rules out: the server's fault, not
    // the CLI's (5) nor the network's (3). Exit 1, as the API's own errors.
    const message = `the server's answer breaks the API contract: ${printable(error.message).replace(/(, against the API contract)?\.$/, '')}`;
    return { exitCode: EXIT.API_ERROR, message, json: { type: 'contract_error', message } };
  }
  if (error instanceof APIUserAbortError) {
    return { exitCode: EXIT.INTERNAL, message: 'interrupted', json: { type: 'interrupted', message: 'interrupted' } };
  }
  const text = printable(error instanceof Error ? error.message : String(error));
  return {
    exitCode: EXIT.INTERNAL,
    message: `unexpected failure: ${text}`,
    json: { type: 'internal_error', message: text },
  };
}

