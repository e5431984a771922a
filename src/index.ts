// The public surface of `@coveton/sdk`. Everything users import is listed here by name.
export { createCoveton, type Coveton } from './client.js';
export { ENVIRONMENTS, type CovetonOptions, type Environment } from './options.js';
export type { CallOptions } from './types.js';
export type { RetryEvent } from './pipeline/index.js';
export type { BackoffOptions } from './pipeline/backoff.js';
export { backoffDelay } from './pipeline/backoff.js';
export type { Logger, LogLevel } from './logger.js';
export type { RateLimitInfo } from './rate-limit-headers.js';
export type { RateLimitOptions } from './rate-limiter.js';
export {
  memoryRateLimitStore,
  type RateLimitStore,
  type RateLimitTake,
  type RateLimitDecision,
  type RateLimitReport,
} from './rate-limit-store.js';
export type { SessionOptions } from './session/options.js';
export type { SessionHelpers, LogoutOptions } from './session/helpers.js';
export { memoryTokenStore, type SessionTokens, type TokenStore } from './session/tokens.js';
export type { FileHelpers, UploadBody, UploadOptions, DownloadOptions } from './files.js';
export { PagePromise, PaginationError } from './pagination.js';
export { VERSION } from './version.js';
export * from './errors/index.js';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
export type { Resources } from '../generated/resources.js';
export type * from '../generated/models.js';
