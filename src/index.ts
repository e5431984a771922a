// The public surface of `@coveton/sdk`. Everything users import is listed here by name.
export { createCoveton, type Coveton } from './client.js';
export { ENVIRONMENTS, type CovetonOptions, type Environment } from './options.js';
export type { CallOptions } from './transport.js';
export type { RetryEvent } from './retry.js';
export type { BackoffOptions } from './retry-timing.js';
export { backoffDelay } from './retry-timing.js';
export type { Logger, LogLevel } from './logger.js';
export type { RateLimitInfo } from './rate-limit-headers.js';
export { PagePromise } from './pagination.js';
export { VERSION } from './version.js';
export * from './errors/index.js';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
export type { Resources } from '../generated/resources.js';
