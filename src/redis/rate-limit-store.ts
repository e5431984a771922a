// A rate-limit budget shared by a fleet of processes (API brief: 120 requests a minute per
// token and per IP). The same rules as the memory store (../rate-limit-store.ts), run in Redis:
// one script takes a send or says how long to wait, one records what an answer reported.
// Waiting stays local (a timer for the wait Redis gave), so nothing polls Redis in a loop; the
// one short re-ask (50 ms) is the moment after a window was spent, before its answers came back.
import { withFallback } from './fallback.js';
import { KEY_CONFLICT, RedisStoreError, script, scriptRunner, slotKeys, type RedisScripting } from './scripts.js';
import type { RateLimitDecision, RateLimitStore } from '../public/rate-limit.js';

/** Options of {@link redisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /**
   * The Redis key of the budget: one per API key (or per IP). `<key>:out` and `<key>:budget`
   * are used too, all with one hash tag (one Redis Cluster slot): a key without one is wrapped
   * whole (`{coveton:rate:ak_live_1234}`), a key with one keeps it. So `ak_live_1234` and
   * `{ak_live_1234}` are one key: never give a token store the key of a budget (each would
   * overwrite the other's hash: `RedisKeyConflictError`).
   * @example redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' })
   */
  key: string;
  /**
   * The longest one Redis command may take (ms). Past it, or on any Redis error, the client
   * limits with its own figures (one warning in the log) and asks Redis again a second later.
   * @default 250
   * @example redisRateLimitStore(redis, { key, commandTimeout: 100 })
   */
  commandTimeout?: number | undefined;
}

// The state hash holds: left (absent: no limit known), taken (sends since the window began),
// windowEnd, refilledAt (the window end at which left was last refilled), refillSeq (the last
// ticket before it), pausedUntil, limit, learned, seq. The rules are those of memoryRateLimitStore, line for line.
// A `pair` is a token store's session (token-scripts.ts): a key given to both stores is refused
// before this one writes (scripts.ts names it), and the token store's GET refuses a budget.
const STATE = `
local s = redis.call('HMGET', KEYS[1], 'left', 'taken', 'windowEnd', 'refilledAt', 'pausedUntil', 'limit', 'learned', 'refillSeq', 'pair')
if s[9] then return redis.error_reply('${KEY_CONFLICT}') end
local left, taken = tonumber(s[1]), tonumber(s[2]) or 0
local windowEnd, refilledAt, paused = tonumber(s[3]) or 0, tonumber(s[4]) or -1, tonumber(s[5]) or 0
local limit, learned, refillSeq = tonumber(s[6]), s[7] == '1', tonumber(s[8]) or 0
local function save()
  redis.call('HSET', KEYS[1], 'taken', taken, 'windowEnd', windowEnd, 'refilledAt', refilledAt, 'pausedUntil', paused, 'learned', learned and '1' or '0', 'refillSeq', refillSeq)
  if left then redis.call('HSET', KEYS[1], 'left', left) else redis.call('HDEL', KEYS[1], 'left') end
  if limit then redis.call('HSET', KEYS[1], 'limit', limit) end
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
`;

// KEYS: state hash, own-budget log (zset by time), sends out (zset by time). ARGV: now, sends out in this process,
// budget requests, budget interval. Returns {0, ticket} or {wait, why} (-1: wait for an answer).
const TAKE = script(`${STATE}
local now, inFlight = tonumber(ARGV[1]), tonumber(ARGV[2])
if not learned and inFlight > 0 then return {-1, 'learning'} end
if paused > now then return {paused - now, 'pause'} end
-- Sends not answered within a minute belong to processes that died: forget them.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 60000)
local out = redis.call('ZCARD', KEYS[3])
local function refill(force)
  if now < windowEnd or (refilledAt == windowEnd and not force) then return end
  refilledAt = windowEnd
  refillSeq = tonumber(redis.call('HGET', KEYS[1], 'seq')) or 0
  -- Sends still out when the window turned may land in the new one: count them there (and
  -- give each back when its answer says the old window counted it).
  taken = out
  if limit then left = limit - taken else left = nil end
  if force and left then left = math.max(1, left) end
end
-- A refill counts even when this take must wait (the memory store keeps it too): every
-- return below saves it.
refill(false)
if left and left <= 0 and now >= windowEnd then
  -- Spent, and no answer yet says when the new window ends. Answers out in this process will
  -- say; answers out elsewhere too (ask again shortly); with none out, start afresh.
  if inFlight > 0 then save() return {-1, 'learning'} end
  if out > 0 then save() return {50, 'window'} end
  refill(true)
end
if left and left <= 0 then save() return {windowEnd - now, 'window'} end
local requests, interval = tonumber(ARGV[3]), tonumber(ARGV[4])
if requests then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - interval)
  if redis.call('ZCARD', KEYS[2]) >= requests then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    save()
    return {tonumber(oldest[2]) + interval - now, 'budget'}
  end
end
if left then left = left - 1 end
taken = taken + 1
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('ZADD', KEYS[3], now, seq)
redis.call('PEXPIRE', KEYS[3], 86400000)
if requests then
  redis.call('ZADD', KEYS[2], now, seq)
  redis.call('PEXPIRE', KEYS[2], interval)
end
save()
return {0, seq}`);

// KEYS: state hash, sends out. ARGV: now, answered, limit, remaining, resetAt, tooMany,
// pause (the policy's; '' = until the window's end), ticket ('' = none).
const REPORT = script(`${STATE}
local now = tonumber(ARGV[1])
if ARGV[8] ~= '' then redis.call('ZREM', KEYS[2], ARGV[8]) end
if ARGV[2] ~= '1' then return 0 end
if ARGV[2] == '1' then learned = true end
local resetAt = tonumber(ARGV[5])
local ticket = tonumber(ARGV[8])
if resetAt and ticket and ticket <= refillSeq and resetAt <= refilledAt and taken > 0 then
  if left then left = left + 1 end
  taken = taken - 1
end
if resetAt then
  local remaining = tonumber(ARGV[4])
  limit = tonumber(ARGV[3])
  if resetAt > windowEnd then
    windowEnd = resetAt
    left = math.min(limit - taken, remaining)
  elseif resetAt == windowEnd and windowEnd > now then
    left = math.min(left or remaining, remaining)
  end
end
if ARGV[6] == '1' then
  local wait = tonumber(ARGV[7]) or math.max(0, windowEnd - now)
  paused = math.max(paused, now + wait)
  windowEnd = math.min(windowEnd, paused)
  left = 0
end
save()
return 1`);

const num = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '' : Math.round(value));

/**
 * A {@link RateLimitStore} in Redis: every process of a fleet spends from one budget. While
 * Redis does not answer, this process limits with its own figures (one warning in the log).
 * @example
 * const coveton = createCoveton({ rateLimit: { store: redisRateLimitStore(redis, { key: 'coveton:rate:ak_live_1234' }) } });
 */
export function redisRateLimitStore(client: RedisScripting, options: RedisRateLimitStoreOptions): RateLimitStore & { readonly key: string } {
  const budget = redisBudget(client, options);
  return Object.assign(withFallback(budget), { key: budget.key });
}

/** The Redis store alone, without the fallback (tested on its own). */
export function redisBudget(client: RedisScripting, options: RedisRateLimitStoreOptions): RateLimitStore & { readonly key: string } {
  if (typeof options.key !== 'string' || options.key === '') throw new TypeError('redisRateLimitStore: `key` must be a non-empty string');
  const keys = slotKeys(options.key, ':budget', ':out');
  const [key, , out] = keys as [string, string, string];
  const run = scriptRunner(client, options.commandTimeout ?? 250, 'redisRateLimitStore');
  return {
    key,
    async take({ now, inFlight, budget }): Promise<RateLimitDecision> {
      const [first, second] = (await run(TAKE, keys, [Math.round(now), inFlight, num(budget?.requests), num(budget?.interval)])) as [number, number | string];
      if (first === 0) return { ticket: Number(second) };
      if (first === -1) return { wait: Number.POSITIVE_INFINITY, why: 'learning' };
      // The script's waits are ms ahead, above 0. Anything else comes of state it did not write
      // (Redis turns a Lua number past 2^63, such as a pausedUntil of 1e300, into its smallest
      // integer): failing here hands the turn to the local figures, where a wait below 0 would
      // have been asked again at once, forever.
      if (!Number.isSafeInteger(first) || first < 0) throw new RedisStoreError(`the rate-limit state at ${key} gave a wait of ${first} ms: it was not written by this store`);
      // A budget wait is the oldest logged send plus the interval, less now: at most the interval,
      // or twice it for a send logged by a process whose clock runs up to an interval ahead. The
      // queue weighs no budget wait against maxRetryAfter (the caller chose the budget), so an
      // entry dated years ahead would hold every call that long: it fails here too.
      const interval = Number(num(budget?.interval));
      if (second === 'budget' && !(first <= 2 * interval)) {
        throw new RedisStoreError(`the rate-limit state at ${key} gave a budget wait of ${first} ms, more than twice the budget's interval of ${interval} ms: it was not written by this store`);
      }
      return { wait: first, why: second as 'pause' | 'window' | 'budget' };
    },
    async report({ now, ticket, answered, figures, tooMany }) {
      await run(REPORT, [key, out], [
        Math.round(now),
        answered ? '1' : '',
        num(figures?.limit),
        num(figures?.remaining),
        num(figures?.resetAt),
        tooMany ? '1' : '',
        num(tooMany?.pause),
        num(ticket),
      ]);
    },
  };
}
