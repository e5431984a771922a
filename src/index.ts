// The public surface of `@coveton/sdk`. Everything users import is listed here by name.
export { createCoveton } from './client.js';
export { backoffDelay } from './pipeline/backoff.js';
export { memoryRateLimitStore } from './pipeline/rate-limit/store.js';
export { memoryTokenStore } from './session/tokens.js';
export { PagePromise, PaginationError } from './resources/pagination.js';
export { VERSION } from './version.js';
export * from './errors/index.js';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
export type { Resources } from '../generated/resources.js';
export type * from '../generated/models.js';
export type { Coveton } from './public/client.js';
export { ENVIRONMENTS, type BackoffOptions, type CovetonOptions, type Environment } from './public/options.js';
export type { CallOptions } from './public/call-options.js';
export type { RetryEvent } from './public/events.js';
export type { LogLevel, Logger } from './public/logger.js';
export type { RateLimitDecision, RateLimitInfo, RateLimitOptions, RateLimitReport, RateLimitStore, RateLimitTake } from './public/rate-limit.js';
export type { LogoutOptions, SessionHelpers, SessionOptions, SessionTokens, TokenStore } from './public/session.js';
export type { DownloadOptions, FileHelpers, UploadBody, UploadOptions } from './public/files.js';
