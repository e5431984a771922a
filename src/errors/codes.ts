// Which class an API error is, by its code or, when the body names none, by its status. Only
// the error builder (../pipeline/from-response.ts) reads these tables: they load with it, on a
// client's first error response, not with the client (the classes themselves are exported, so
// an application's bundler keeps them up front).
import {
  APIError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalServerError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  type ErrorCode,
} from './api-error.js';

const BY_CODE: Record<ErrorCode, typeof APIError> = {
  BAD_REQUEST: BadRequestError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  CONFLICT: ConflictError,
  VALIDATION: ValidationError,
  RATE_LIMITED: RateLimitedError,
  INTERNAL: InternalServerError,
};

/** The code an error of each status stands for when the body did not say (one table for both directions). */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'VALIDATION',
  429: 'RATE_LIMITED',
};

/** The code a status stands for: one of the table's, INTERNAL for any 5xx, else undefined. */
export function codeForStatus(status: number): ErrorCode | undefined {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : undefined);
}

/**
 * The envelope's code when it is one the SDK knows. The server's own string is never kept:
 * `code` is typed as a known one and printed in every message, and a server may put anything
 * there (one that echoed the request's API key put the key in the message). Own keys only: `in`
 * would also find `constructor` or `__proto__` on the prototype.
 */
export const knownCode = (code: unknown): ErrorCode | undefined => (typeof code === 'string' && Object.hasOwn(BY_CODE, code) ? (code as ErrorCode) : undefined);

/** The class of a code; APIError for none (a status the API does not name). */
export const classOf = (code: ErrorCode | undefined): typeof APIError => (code && BY_CODE[code]) || APIError;
