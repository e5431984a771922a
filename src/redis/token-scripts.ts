// The Lua scripts of the token store (./token-store.ts), each one step on one hash or lock key:
// what each answers is what the store's code reads, so they live beside it, not in it.
import { KEY_CONFLICT, script } from './scripts.js';

// `taken` is a field only a rate-limit budget writes (rate-limit-store.ts): a key given to both
// stores is refused here and by SET (scripts.ts names it), and the budget's STATE refuses a
// stored pair.
export const GET = script(`
local v = redis.call('HMGET', KEYS[1], 'pair', 'taken')
if v[2] then return redis.error_reply('${KEY_CONFLICT}') end
return v[1]`);
// A new pair (sealed, or JSON) and its refresh token's SHA-256 replace the old ones and the
// claim in one step. 1: written; 0: not. With ARGV[5] (the SHA-256 of the refresh token it
// replaces), only while that pair is stored, and with ARGV[4] (a claimant) only while its claim
// stands too: the refresher's write, sent again after a failure or late, never replaces what a
// later holder or a sign-in wrote, nor a pair it already replaced. A hash holding a budget's
// `taken` is refused before anything: the DEL below would wipe the budget silently, and only the
// rate-limit store would fail afterwards, blaming its own key (hostile review of e469d55, L1).
export const SET = script(`
if redis.call('HEXISTS', KEYS[1], 'taken') == 1 then return redis.error_reply('${KEY_CONFLICT}') end
if ARGV[5] ~= '' and (redis.call('HGET', KEYS[1], 'refresh') ~= ARGV[5] or (ARGV[4] ~= '' and redis.call('HGET', KEYS[1], 'claim') ~= ARGV[4])) then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[1] ~= '' then
  redis.call('HSET', KEYS[1], 'pair', ARGV[1], 'refresh', ARGV[3])
  if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
return 1`);
// The stored refresh token is compared by its SHA-256, so the token itself is never a script
// argument (arguments show in SLOWLOG and MONITOR). 1: claimed by us; 0: not ours.
export const CLAIM = script(`
if redis.call('HGET', KEYS[1], 'refresh') ~= ARGV[1] then return 0 end
local by = redis.call('HGET', KEYS[1], 'claim')
if by and by ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'claim', ARGV[2])
return 1`);
// Takes back a claim of ours: one that may have landed unanswered (no refresh was sent for it),
// or one whose refresh spent nothing (refused before it was sent, answered 408 or 429).
export const UNCLAIM = script(`
if redis.call('HGET', KEYS[1], 'claim') == ARGV[1] then return redis.call('HDEL', KEYS[1], 'claim') end
return 0`);
// SET NX PX with a random owner: 'acquired', a value no wait can take; else how long the
// current holder has left. A lock key with no expiry (PTTL -1) was set by no store, each lock
// has lockTtl: a restore, PERSIST or another writer left it, and nobody would ever remove it. It
// is given lockTtl and goes like a dead holder's lock.
export const ACQUIRE = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'acquired' end
local left = redis.call('PTTL', KEYS[1])
if left >= 0 then return left end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return tonumber(ARGV[2])`);
// Renew and release only as the owner: a holder whose lock expired must not touch the next one's.
export const RENEW = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);
