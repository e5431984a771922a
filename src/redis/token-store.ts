// A token store for a fleet of processes sharing one user session (seed 002: a replayed
// refresh token revokes the whole family). The pair lives in one Redis hash; a lock lets one
// process refresh at a time; a claim marks the stored refresh token as being spent, so that a
// process that takes the lock after a holder died mid-refresh never sends it a second time.
// No token is ever a command argument in clear when a cipher is given: the pair is sealed
// before it leaves this process, and the claim compares a digest of the refresh token.
import type { TokenCipher } from './cipher.js';
import { RedisStoreError, digestHex, scriptRunner, slotKeys, type RedisScripting } from './scripts.js';
import { ACQUIRE, CLAIM, GET, RELEASE, RENEW, SET, UNCLAIM } from './token-scripts.js';
import { clampTimer } from '../util/timers.js';
import { TokenDecryptError } from '../errors/store.js';
import type { SessionTokens, TokenStore } from '../public/session.js';

/** What the store puts before a value its cipher sealed. */
const SEALED = 'sealed:';

/** Options of {@link redisTokenStore}. */
export interface RedisTokenStoreOptions {
  /**
   * The Redis key of the session, one per user session. The pair and its lock share a hash tag
   * (one Redis Cluster slot): a key without one is wrapped whole, `{coveton:session:usr_8f2a}`
   * and `{coveton:session:usr_8f2a}:lock`; a key with one keeps it. So `usr_8f2a` and
   * `{usr_8f2a}` are one key: never give a rate-limit store the key of a session (each would
   * overwrite the other's hash: `RedisKeyConflictError`).
   * @example redisTokenStore(redis, { key: 'coveton:session:usr_8f2a' })
   */
  key: string;
  /**
   * Seals the pair before it is written, so that Redis (its keys, MONITOR, SLOWLOG, replicas,
   * snapshots) never holds a token in clear. A stored pair that does not open (another key,
   * altered, written in clear or for another session key) fails the call with
   * `TokenDecryptError`, and nothing is sent with it.
   * @default undefined (the pair is stored and written as JSON in clear)
   * @example redisTokenStore(redis, { key, cipher: aesGcmTokenCipher({ keys: { k1: sessionKey }, current: 'k1' }) })
   */
  cipher?: TokenCipher | undefined;
  /**
   * How long the lock lives unless its holder renews it (ms). A holder that dies stops
   * renewing: the others go on after at most this long.
   * @default 10000
   * @example redisTokenStore(redis, { key, lockTtl: 5_000 })
   */
  lockTtl?: number | undefined;
  /**
   * The longest a process waits for the lock (ms) before the call fails with `TokenStoreError`.
   * @default 30000
   * @example redisTokenStore(redis, { key, lockWait: 15_000 })
   */
  lockWait?: number | undefined;
  /**
   * The longest one Redis command may take (ms); past it the operation fails with
   * `TokenStoreError` and no refresh is sent.
   * @default 1000
   * @example redisTokenStore(redis, { key, commandTimeout: 500 })
   */
  commandTimeout?: number | undefined;
  /**
   * Reuse a pair read from Redis for this long (ms) outside the lock, so that a busy process
   * does not read Redis on every call. Under the lock (a refresh) the store is always read.
   * Another process's new pair or logout reaches this one at most this much later.
   * @default 1000
   * @example redisTokenStore(redis, { key, cacheFor: 0 }) // read Redis on every call
   */
  cacheFor?: number | undefined;
  /**
   * Expire the stored pair after this long without a write (ms), e.g. the refresh token's lifetime.
   * @default undefined (kept until logout or the end of the session)
   * @example redisTokenStore(redis, { key, ttl: 30 * 24 * 3600_000 })
   */
  ttl?: number | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A pause of the lock's release, which nobody awaits: it does not keep the process alive (where timers can be unref'd). */
const pause = (ms: number) => new Promise((resolve) => (setTimeout(resolve, ms) as { unref?: () => void }).unref?.());

/** A write made under the lock: whether it landed, and how to send it again (only the one that replaces the store's own claim). */
interface Write {
  outcome: Promise<'landed' | 'failed'>;
  retry?: () => Promise<unknown>;
}

/**
 * A {@link TokenStore} in Redis, with a distributed lock, for processes that share one session.
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const coveton = createCoveton({ tokenStore: redisTokenStore(redis, { key: 'coveton:session:usr_8f2a' }) });
 */
export function redisTokenStore(client: RedisScripting, options: RedisTokenStoreOptions): TokenStore & { readonly key: string } {
  if (typeof options.key !== 'string' || options.key === '') throw new TypeError('redisTokenStore: `key` must be a non-empty string');
  const [key, lockKey] = slotKeys(options.key, ':lock') as [string, string];
  const { cipher } = options;
  const lockTtl = options.lockTtl ?? 10_000;
  const lockWait = options.lockWait ?? 30_000;
  const run = scriptRunner(client, options.commandTimeout ?? 1_000, 'redisTokenStore');
  /** Who claims for this store: the same process may take back a claim whose answer it lost. */
  const claimant = crypto.randomUUID();
  const cacheFor = options.cacheFor ?? 1_000;
  /** The last pair read or written, and when; never used while this process holds the lock. */
  let cached: { tokens: SessionTokens | undefined; at: number } | undefined;
  let holding = 0;
  /** Claims not answered yet, from their start: `sent` once handed to the client, `givenUp` once a timeout or the lock's release ended them. */
  const unanswered = new Set<{ sent: boolean; givenUp: boolean }>();
  // A claim given up on (a timeout) may be on the wire still and land once Redis resumes: the
  // refresher sent nothing, but the next holder would find the token claimed and end the
  // session. UNCLAIM, sent on the same connection, runs after it and takes it back, before the
  // lock's RELEASE lets anyone else in. One given up on before it was sent is never sent.
  const giveUp = (claim: { sent: boolean; givenUp: boolean }) => {
    if (claim.givenUp) return;
    claim.givenUp = true;
    if (claim.sent) void run.now(UNCLAIM, [key], [claimant]).catch(() => undefined);
  };
  /**
   * The claim this store made under the lock it holds, until the refresher's write (the one that
   * names its refresh token) replaces it or the refresher takes it back. A write that does not
   * name it (a sign-in in this process meanwhile) never takes it: it is no compare-and-set, and
   * the refresher's write after it finds the claim gone and lands nothing.
   */
  let claimed: { refreshToken: string; digest: string } | undefined;
  /**
   * Writes made under the lock, from their start: the lock is released once each has landed, so
   * the next holder never finds the old pair still claimed by a holder that got a new one. One
   * that failed is sent again (`retry`) while the lock is kept.
   */
  const writes = new Set<Write>();

  // The store marks what it sealed itself, so a cipher may write any text (a KMS envelope in
  // JSON starts with `{` too) and a pair in clear is never taken for a sealed one.
  const seal = async (tokens: SessionTokens): Promise<string> => {
    // The lineage too: another process tells by it a refresh of its pair from another sign-in.
    const json = JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessTokenExpiresAt: tokens.accessTokenExpiresAt, lineage: tokens.lineage });
    if (!cipher) return json;
    let sealed: unknown;
    try {
      sealed = await cipher.seal(json, key);
    } catch (error) {
      throw new RedisStoreError(`The token cipher could not seal the pair (${error instanceof Error ? error.name : 'error'}); nothing was stored`, { cause: error });
    }
    if (typeof sealed !== 'string') throw new RedisStoreError('The token cipher sealed the pair as something other than text; nothing was stored');
    return `${SEALED}${sealed}`;
  };
  /** Fails closed: a pair that does not open, or is in clear where a sealed one belongs, is never used. */
  const open = async (stored: string): Promise<SessionTokens> => {
    const isSealed = stored.startsWith(SEALED);
    try {
      if (cipher ? !isSealed : isSealed) throw new TypeError(cipher ? 'stored in clear, a sealed pair was expected' : 'stored sealed, and no cipher was given');
      const tokens = JSON.parse(cipher ? await cipher.open(stored.slice(SEALED.length), key) : stored) as SessionTokens;
      if (typeof tokens?.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') throw new TypeError('not a token pair');
      return tokens;
    } catch (error) {
      // JSON.parse's SyntaxError quotes the start of what it read: here, the stored secret.
      throw new TokenDecryptError(key, { cause: error instanceof SyntaxError ? new SyntaxError('the stored pair is not JSON') : error });
    }
  };
  const call = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TokenDecryptError || error instanceof RedisStoreError) throw error;
      throw new RedisStoreError(`Redis failed on ${operation} (${error instanceof Error ? error.name : 'error'})`, { cause: error });
    }
  };

  /**
   * Releases the lock once every write made under it has landed; until then the lock is renewed
   * and a failed write is sent again, every third of lockTtl (or of lockWait, if shorter, so that
   * it is sent again at all), for at most lockWait (what the others wait for the lock).
   * A write that never lands leaves the lock to expire within lockTtl instead of releasing it: the
   * next holder then finds the old pair claimed, as after a holder that died, and ends the session
   * (a pair it may have been sent for is never sent again). A write still unsent then may go out
   * later: it lands only while this store's claim stands.
   */
  const release = async (owner: string, renew: ReturnType<typeof setInterval>, renewEvery: number, pending: Write[]) => {
    const until = Date.now() + lockWait;
    const every = Math.max(10, Math.min(renewEvery, Math.floor(lockWait / 3)));
    let stop!: () => void;
    const deadline = new Promise<'failed'>((resolve) => (stop = () => resolve('failed')));
    const timer = setTimeout(stop, clampTimer(lockWait));
    (timer as { unref?: () => void }).unref?.();
    let landed = true;
    try {
      for (const write of pending) {
        let outcome = await Promise.race([write.outcome, deadline]);
        while (outcome === 'failed' && write.retry && Date.now() + every < until) {
          await pause(every);
          outcome = await Promise.race([write.retry().then(() => 'landed' as const, () => 'failed' as const), deadline]);
        }
        // Any other write is waited for only so that it goes out before the RELEASE.
        landed &&= outcome === 'landed' || !write.retry;
      }
    } finally {
      clearTimeout(timer);
      clearInterval(renew);
    }
    if (landed) await run(RELEASE, [lockKey], [owner]).catch(() => undefined);
  };

  return {
    key,
    get: () => {
      if (cached && holding === 0 && Date.now() - cached.at < cacheFor) return Promise.resolve(cached.tokens);
      return call('get', async () => {
        const at = Date.now();
        const raw = await run(GET, [key], []);
        const tokens = typeof raw === 'string' ? await open(raw) : undefined;
        cached = { tokens, at };
        return tokens;
      });
    },
    set: (tokens, replacing) => {
      cached = undefined;
      // Known before its first await, like a claim: the lock's release waits for it.
      const replaces = replacing !== undefined && claimed?.refreshToken === replacing ? claimed : undefined;
      if (replaces) claimed = undefined;
      const write = () =>
        call('set', async () => {
          const pair = tokens ? [await seal(tokens), options.ttl ?? 0, await digestHex('SHA-256', tokens.refreshToken)] : ['', 0, ''];
          // A token it replaces but never claimed (the end of a session another holder claimed) is
          // compared by its SHA-256 alone: a sign-in that landed since stays.
          const digest = replaces?.digest ?? (replacing === undefined ? '' : await digestHex('SHA-256', replacing));
          // One EVAL handed to the client at once (run.now): an EVALSHA answered NOSCRIPT would be
          // sent again, after a RELEASE sent meanwhile.
          return run.now(SET, [key], [...pair, replaces ? claimant : '', digest]);
        });
      const first = write();
      // Only the write that replaces this store's own claim is sent again: it lands only while
      // that claim stands.
      if (holding > 0) writes.add({ outcome: first.then(() => 'landed', () => 'failed'), ...(replaces ? { retry: write } : {}) });
      // False: it named a pair it replaces, and found that pair replaced.
      return first.then((answer) => {
        if (answer === 1) cached = { tokens, at: Date.now() };
        return answer === 1;
      });
    },
    claim: (refreshToken) =>
      call('claim', async () => {
        // Known before its first await: a holder that gives up during the digest (its
        // storeTimeout) releases the lock, and the claim must not go out after the RELEASE.
        const claim = { sent: false, givenUp: false };
        unanswered.add(claim);
        try {
          const digest = await digestHex('SHA-256', refreshToken);
          if (claim.givenUp) throw new RedisStoreError('The claim was given up on before it was sent; it was not sent');
          claim.sent = true;
          // One EVAL (run.now), never EVALSHA: a NOSCRIPT answer would send the claim a second
          // time, after the UNCLAIM and the RELEASE a holder that gave up meanwhile had sent.
          const ours = (await run.now(CLAIM, [key], [digest, claimant])) === 1;
          if (ours && holding > 0) claimed = { refreshToken, digest };
          return ours;
        } catch (error) {
          giveUp(claim);
          throw error;
        } finally {
          unanswered.delete(claim);
        }
      }),
    unclaim: (refreshToken) => {
      // Only the claim this holder made and no write replaced; after the lock's end, nothing.
      if (claimed?.refreshToken !== refreshToken) return Promise.resolve();
      claimed = undefined;
      // Handed to the client at once (run.now), on the connection the claim went by: it runs
      // before the lock's RELEASE, which is sent only once the holder's work is done.
      return call('unclaim', async () => void (await run.now(UNCLAIM, [key], [claimant])));
    },
    async lock<T>(fn: () => Promise<T>): Promise<T> {
      const owner = crypto.randomUUID();
      const started = Date.now();
      for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
        const answer = await call('lock', () => run(ACQUIRE, [lockKey], [owner, lockTtl]));
        if (answer === 'acquired') break;
        const left = Number(answer);
        const waited = Date.now() - started;
        if (waited >= lockWait) throw new RedisStoreError(`The session lock was held by another process for ${waited} ms (lockWait ${lockWait} ms)`);
        // Not a tight loop: back off, and never sleep past the holder's expiry or our own limit.
        await sleep(Math.max(1, Math.min(pause, left > 0 ? left : pause, lockWait - waited)));
      }
      holding++;
      // Renew while the holder works, so a slow refresh keeps the lock and a dead one loses it.
      const every = Math.max(10, Math.floor(lockTtl / 3));
      const renew = setInterval(() => void run(RENEW, [lockKey], [owner, lockTtl]).catch(() => undefined), every);
      (renew as { unref?: () => void }).unref?.();
      try {
        return await fn();
      } finally {
        holding--;
        claimed = undefined;
        // A claim still unanswered when the holder gives up (the client's storeTimeout below
        // commandTimeout): taken back before the release, or never sent.
        for (const claim of unanswered) giveUp(claim);
        const pending = [...writes];
        writes.clear();
        // Not awaited: the caller's storeTimeout bounds its wait, not the lock's.
        void release(owner, renew, every, pending);
      }
    },
  };
}
