export { CovetonError, CovetonInputError } from './base.js';
export {
  APIError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  ValidationError,
  RateLimitedError,
  InternalServerError,
  type ErrorCode,
  type ErrorReason,
  type ValidationIssue,
} from './api-error.js';
export { APIConnectionError, APITimeoutError, APIUserAbortError } from './transport.js';
export { errorFromResponse } from './from-response.js';
export { SessionExpiredError } from './session.js';
export { TokenStoreError } from './store.js';
