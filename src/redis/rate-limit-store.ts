// A rate-limit budget shared by a fleet of processes (API brief: 120 requests a minute per
// token and per IP). The same rules as the memory store (../rate-limit-store.ts), run in Redis:
// one script takes a send or says how long to wait, one records what an answer reported.
// Waiting stays local (a timer for the wait Redis gave), so nothing polls Redis in a loop.
import type { RateLimitDecision, RateLimitStore } from '../rate-limit-store.js';
import { script, scriptRunner, type RedisScripting } from './scripts.js';

/** Options of {@link redisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /**
   * The Redis key of the budget: one per API key (or per IP). `<key>:out` and `<key>:budget`
   * are used too; on Redis Cluster put a hash tag in it (`coveton:{rate}:ak_live_1234`).
   * @example redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' })
   */
  key: string;
  /**
   * The longest one Redis command may take (ms). Past it, or on any Redis error, the client
   * limits with its own figures (one warning in the log) and asks Redis again a second later.
   * @default 250
   * @example redisRateLimitStore(redis, { key, commandTimeout: 100 })
   */
  commandTimeout?: number;
}

// KEYS: state hash, sends out (zset by ticket), own-budget log (zset by time).
// ARGV: now, sends out in this process, budget requests, budget interval.
const TAKE = script(`
local now = tonumber(ARGV[1])
local s = redis.call('HMGET', KEYS[1], 'left', 'windowEnd', 'pausedUntil', 'limit', 'learned')
local left = tonumber(s[1])
local windowEnd = tonumber(s[2]) or 0
local paused = tonumber(s[3]) or 0
if s[5] ~= '1' and tonumber(ARGV[2]) > 0 then return {-1, 'learning'} end
if paused > now then return {paused - now, 'pause'} end
if left ~= nil and left <= 0 then
  if now < windowEnd then return {windowEnd - now, 'window'} end
  left = tonumber(s[4])
end
local requests = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
if requests then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - interval)
  if redis.call('ZCARD', KEYS[3]) >= requests then
    local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    return {tonumber(oldest[2]) + interval - now, 'budget'}
  end
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
if left ~= nil then redis.call('HSET', KEYS[1], 'left', left - 1) else redis.call('HDEL', KEYS[1], 'left') end
redis.call('ZADD', KEYS[2], seq, seq)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', seq - 10000)
if requests then
  redis.call('ZADD', KEYS[3], now, seq)
  redis.call('PEXPIRE', KEYS[3], interval)
end
redis.call('PEXPIRE', KEYS[1], 86400000)
redis.call('PEXPIRE', KEYS[2], 86400000)
return {0, seq}`);

// ARGV: now, ticket, answered, limit, remaining, resetAt, tooMany, retryAfter, maxPause ('' = none).
const REPORT = script(`
local now = tonumber(ARGV[1])
local ticket = tonumber(ARGV[2])
if ticket then redis.call('ZREM', KEYS[2], ticket) end
if ARGV[3] ~= '1' then return 0 end
local s = redis.call('HMGET', KEYS[1], 'left', 'windowEnd', 'pausedUntil')
local left = tonumber(s[1])
local windowEnd = tonumber(s[2]) or 0
local paused = tonumber(s[3]) or 0
local resetAt = tonumber(ARGV[6])
if resetAt then
  local later
  if ticket then later = redis.call('ZCOUNT', KEYS[2], '(' .. ticket, '+inf') else later = redis.call('ZCARD', KEYS[2]) end
  local estimate = math.max(0, tonumber(ARGV[5]) - later)
  if resetAt > windowEnd then
    windowEnd = resetAt
    left = estimate
  elseif resetAt == windowEnd then
    left = math.min(left or estimate, estimate)
  end
  redis.call('HSET', KEYS[1], 'limit', ARGV[4])
end
if ARGV[7] == '1' then
  local wait = tonumber(ARGV[8]) or math.max(0, windowEnd - now)
  local cap = tonumber(ARGV[9])
  if cap then wait = math.min(wait, cap) end
  paused = math.max(paused, now + wait)
  windowEnd = math.min(windowEnd, paused)
  left = 0
end
redis.call('HSET', KEYS[1], 'learned', '1', 'windowEnd', windowEnd, 'pausedUntil', paused)
if left ~= nil then redis.call('HSET', KEYS[1], 'left', left) end
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1`);

const num = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '' : Math.round(value));

/**
 * A {@link RateLimitStore} in Redis: every process of a fleet spends from one budget.
 * @example
 * const coveton = createCoveton({ rateLimit: { store: redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' }) } });
 */
export function redisRateLimitStore(client: RedisScripting, options: RedisRateLimitStoreOptions): RateLimitStore & { readonly key: string } {
  const { key } = options;
  if (typeof key !== 'string' || key === '') throw new TypeError('redisRateLimitStore: `key` must be a non-empty string');
  const keys = [key, `${key}:out`, `${key}:budget`];
  const run = scriptRunner(client, options.commandTimeout ?? 250);
  return {
    key,
    async take({ now, inFlight, budget }): Promise<RateLimitDecision> {
      const [first, second] = (await run(TAKE, keys, [Math.round(now), inFlight, num(budget?.requests), num(budget?.interval)])) as [number, number | string];
      if (first === 0) return { ticket: Number(second) };
      if (first === -1) return { wait: Number.POSITIVE_INFINITY, why: 'learning' };
      return { wait: first, why: second as 'pause' | 'window' | 'budget' };
    },
    async report({ now, ticket, answered, figures, tooMany }) {
      await run(REPORT, keys, [
        Math.round(now),
        num(ticket),
        answered ? '1' : '',
        num(figures?.limit),
        num(figures?.remaining),
        num(figures?.resetAt),
        tooMany ? '1' : '',
        num(tooMany?.retryAfter),
        num(tooMany?.maxPause),
      ]);
    },
  };
}
