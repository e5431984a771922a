// Turns whatever a command threw into one readable message that names the cause, a JSON form
// for --json, and the exit code (exit-codes.ts). Secrets never appear: the SDK keeps them out of
// its errors, and Output scrubs the user's key from every message on top of that.
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  CovetonInputError,
  ForbiddenError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '../index.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reasonText } from './reasons.js';

/** A mistake on the command line, found before anything is sent. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: ExitCode = EXIT.USAGE;
}

/** A failure the command already explained, with its exit code (e.g. contract violations). */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Described {
  exitCode: ExitCode;
  message: string;
  json: Record<string, unknown>;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ECONNRESET: 'the connection was reset by the server',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/** A socket error code in words, with the code: "connection refused: ... (ECONNREFUSED)". */
export function networkReason(code: string): string {
  return NETWORK_CODES[code] ? `${NETWORK_CODES[code]} (${code})` : code;
}

function networkWords(error: APIConnectionError): string {
  const code = /\(([A-Z_]+)\)/.exec(error.message)?.[1];
  if (code && NETWORK_CODES[code]) return NETWORK_CODES[code];
  if (code?.includes('CERT') || code?.includes('TLS')) return `TLS failure (${code})`;
  // fetch's own TypeError ("fetch failed") hides the real cause one level down.
  const inner = (error.cause as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  return typeof inner === 'string' && inner !== '' ? inner : error.message.replace(/\.$/, '');
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
    cause = `${serverMessage(error)}: ${error.details.map((d) => `${d.path}: ${d.message}`).join('; ')}`;
  } else if (error instanceof RateLimitedError) {
    cause = `rate limited${error.retryAfter !== undefined ? `: retry in ${error.retryAfter} s` : ''}`;
  } else cause = serverMessage(error);
  const request = error.requestId ? ` (request id ${error.requestId})` : '';
  return {
    exitCode: EXIT.API_ERROR,
    message: `${head}: ${cause}${request}`,
    json: {
      type: 'api_error',
      status: error.status,
      code: error.code,
      reason,
      message: cause,
      requestId: error.requestId,
      endpoint: error.endpoint,
      ...(error instanceof ValidationError ? { details: error.details } : {}),
    },
  };
}

/** The server's message without the SDK's "401 UNAUTHORIZED on GET /x: " prefix. */
function serverMessage(error: APIError): string {
  const prefix = `${error.status}${error.code ? ` ${error.code}` : ''} on ${error.endpoint}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
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
  if (error instanceof APIUserAbortError) {
    return { exitCode: EXIT.INTERNAL, message: 'interrupted', json: { type: 'interrupted', message: 'interrupted' } };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT.INTERNAL,
    message: `unexpected failure: ${text}`,
    json: { type: 'internal_error', message: text },
  };
}

/** Origin and path of a URL: no credentials, no query string. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
