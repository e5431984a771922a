// `@coveton/sdk/redis`: sessions and rate limits shared by a fleet of processes, on Redis.
// Node only; needs the `redis` package (node-redis), an optional peer dependency of the SDK.
export { redisTokenStore, type RedisTokenStoreOptions } from './token-store.js';
export { redisRateLimitStore, type RedisRateLimitStoreOptions } from './rate-limit-store.js';
export { aesGcmTokenCipher, type AesGcmTokenCipherOptions, type TokenCipher } from './cipher.js';
export type { RedisScripting } from './scripts.js';
export { RedisKeyConflictError, RedisStoreError } from './scripts.js';
// The interfaces the stores implement, so that their signatures name what this entry exports.
export type { RateLimitDecision, RateLimitReport, RateLimitStore, RateLimitTake } from '../public/rate-limit.js';
export type { SessionTokens, TokenStore } from '../public/session.js';
export type { Logger } from '../public/logger.js';
