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
  type APIErrorInit,
  type ErrorCode,
  type ErrorReason,
  type ErrorEnvelope,
  type ValidationIssue,
} from './api-error.js';
export {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BodyTooLargeError,
  RedirectError,
  UnexpectedResponseError,
} from './transport.js';
export { AuthenticatorError } from './auth.js';
export { ChunkLoadError } from './load.js';
export { SessionExpiredError } from './session.js';
export { TokenDecryptError, TokenStoreError } from './store.js';
