// The Redis stores on their own, against a real redis-server: the lock's ownership rules, its
// renewal and bounded wait, the claim that keeps a refresh token from being sent twice, and
// what the keys hold.
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CovetonError, TokenDecryptError, TokenStoreError, createCoveton } from '../../src/index.js';
import { aesGcmTokenCipher, redisTokenStore, type TokenCipher } from '../../src/redis/index.js';
import { redisBudget as redisRateLimitStore, redisRateLimitStore as redisFallbackStore } from '../../src/redis/rate-limit-store.js';
import { RedisStoreError } from '../../src/redis/scripts.js';
import { startAuthServer } from '../support/auth-server.js';
import { redisFixture, type RedisClient, type RedisServer } from './redis-server.js';

const fixture = redisFixture();
let redis: RedisServer;
let client: RedisClient;
beforeAll(() => {
  ({ redis, client } = fixture);
});
const connect = (url: string) => createClient({ url }).connect();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pair = (n: number) => ({ accessToken: `at_${n}`, refreshToken: `rt_${n}_secret`, accessTokenExpiresAt: 1 });
/** A claim's arguments: the refresh token's SHA-256 and the claimant id. */
const isClaim = (o: { arguments: string[] }) => o.arguments.length === 2 && /^[0-9a-f]{64}$/.test(o.arguments[0]!);

describe('redisTokenStore', () => {
  it('the lock is SET NX PX with a random owner: one holder at a time, the next one goes when it releases', async () => {
    const a = redisTokenStore(client, { key: 'k:lock1', lockTtl: 2_000 });
    const b = redisTokenStore(client, { key: 'k:lock1', lockTtl: 2_000 });
    const order: string[] = [];
    await Promise.all([
      a.lock!(async () => {
        order.push('a in');
        expect((await client.get('{k:lock1}:lock'))!.length).toBeGreaterThanOrEqual(32);
        await sleep(150);
        order.push('a out');
      }),
      sleep(20).then(() => b.lock!(async () => void order.push('b in'))),
    ]);
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(await client.exists('{k:lock1}:lock')).toBe(0);
  });

  it('waits a bounded time for a lock someone else holds, and never deletes a lock it does not own', async () => {
    await client.set('{k:lock2}:lock', 'someone-else', { PX: 5_000 });
    const store = redisTokenStore(client, { key: 'k:lock2', lockWait: 300 });
    const started = Date.now();
    await expect(store.lock!(async () => 'never')).rejects.toThrow(/held by another process/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await client.get('{k:lock2}:lock')).toBe('someone-else');
  });

  it('a dead holder stops renewing: its lock expires within lockTtl and the next one goes', async () => {
    await client.set('{k:lock3}:lock', 'dead-holder', { PX: 400 });
    const store = redisTokenStore(client, { key: 'k:lock3', lockWait: 5_000 });
    const started = Date.now();
    await store.lock!(async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a live holder renews its lock past lockTtl, so nobody else gets in while it works', async () => {
    const a = redisTokenStore(client, { key: 'k:lock4', lockTtl: 300 });
    const b = redisTokenStore(client, { key: 'k:lock4', lockWait: 700 });
    let bGotIn = false;
    await Promise.all([
      a.lock!(() => sleep(1_000)),
      sleep(50).then(() => b.lock!(async () => (bGotIn = true)).catch(() => undefined)),
    ]);
    expect(bGotIn).toBe(false);
  });

  // A lock key with no expiry was written by none of the stores (each lock has lockTtl): a restore, PERSIST,
  // another writer. Taken as acquired, it let two holders in at once.
  it('a lock key with no expiry is nobody\'s: nobody gets in while it stands; it is given lockTtl and goes like a dead holder\'s', async () => {
    await client.set('{k:lock5}:lock', 'no-expiry');
    const a = redisTokenStore(client, { key: 'k:lock5', lockTtl: 300, lockWait: 5_000 });
    const b = redisTokenStore(client, { key: 'k:lock5', lockTtl: 300, lockWait: 5_000 });
    let inside = 0;
    let most = 0;
    const seen: (string | null)[] = [];
    const work = async () => {
      most = Math.max(most, ++inside);
      seen.push(await client.get('{k:lock5}:lock'));
      await sleep(50);
      inside--;
    };
    await Promise.all([a.lock!(work), b.lock!(work)]);
    expect(most).toBe(1);
    expect(seen).toHaveLength(2);
    expect(seen).not.toContain('no-expiry');
  });

  it('two clients refresh one session while a lock key with no expiry stands: one refresh, both calls succeed, no session ended', async () => {
    const server = await startAuthServer();
    try {
      await client.set('{k:lock6}:lock', 'no-expiry');
      const expired: string[] = [];
      const make = (name: string) =>
        createCoveton({
          baseUrl: server.url,
          maxRetries: 0,
          tokenStore: redisTokenStore(client, { key: 'k:lock6', lockTtl: 300, cacheFor: 0 }),
          onSessionExpired: () => void expired.push(name),
        });
      await redisTokenStore(client, { key: 'k:lock6' }).set(server.issue({ expired: true }));
      const outcomes = await Promise.allSettled([make('a').users.getCurrent(), make('b').users.getCurrent()]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('claims a stored refresh token once for everyone: not twice, not after the pair changed; the key holds the pair and the claim only', async () => {
    const a = redisTokenStore(client, { key: 'k:claim' });
    const b = redisTokenStore(client, { key: 'k:claim' });
    await a.set(pair(1));
    expect(await b.claim!('rt_1_secret')).toBe(true);
    expect(await a.claim!('rt_1_secret')).toBe(false);
    expect(await b.claim!('rt_1_secret')).toBe(true); // the same claimant may claim again (a lost answer)
    expect(await a.claim!('rt_other')).toBe(false);
    await a.set(pair(2));
    expect(await a.claim!('rt_1_secret')).toBe(false);
    expect(await a.claim!('rt_2_secret')).toBe(true);
    expect(await a.get()).toEqual(pair(2));
    expect(a.key).toBe('{k:claim}');
    expect(Object.keys(await client.hGetAll('{k:claim}')).sort()).toEqual(['claim', 'pair', 'refresh']);
    expect(await client.hGet('{k:claim}', 'claim')).not.toContain('rt_');
    expect(await client.hGet('{k:claim}', 'refresh')).toMatch(/^[0-9a-f]{64}$/);
    await a.set(undefined);
    expect(await client.exists('{k:claim}')).toBe(0);
    expect(await a.get()).toBeUndefined();
  });

  // A claim given up on (Redis stalled past commandTimeout) may still be on the wire, and land once Redis
  // resumes: no refresh was sent for it, yet the next holder found the token claimed and ended the session.
  it('a claim that timed out is undone: the next holder claims the token it never sent, and its claim stands', async () => {
    const other = await connect(redis.url);
    try {
      const a = redisTokenStore(client, { key: 'k:late', commandTimeout: 200, cacheFor: 0 });
      const b = redisTokenStore(other, { key: 'k:late', commandTimeout: 200, cacheFor: 0 });
      await a.set(pair(7));
      expect([await a.claim!('not-stored'), await b.claim!('not-stored')]).toEqual([false, false]); // scripts loaded
      const timedOut = await a
        .lock!(async () => {
          process.kill(redis.pid(), 'SIGSTOP');
          try {
            return await a.claim!('rt_7_secret').catch((e: unknown) => e);
          } finally {
            process.kill(redis.pid(), 'SIGCONT');
          }
        });
      expect(timedOut).toBeInstanceOf(RedisStoreError);
      expect(await b.lock!(() => b.claim!('rt_7_secret'))).toBe(true);
      expect(await a.claim!('rt_7_secret')).toBe(false); // b's claim stands
    } finally {
      process.kill(redis.pid(), 'SIGCONT');
      await other.close();
    }
  });

  // The third case: a claim sent by EVALSHA that Redis answered NOSCRIPT once it resumed was sent
  // again as EVAL, after the UNCLAIM and the RELEASE of the lock's finally: it landed, and stood.
  it.each([
    ['the store gives up on it (commandTimeout)', { commandTimeout: 200 }, {}, 'loaded'],
    ['the client gives up first (storeTimeout below commandTimeout)', { commandTimeout: 5_000 }, { storeTimeout: 100 }, 'loaded'],
    ['the client gives up first, and Redis has no script cached (a restart, SCRIPT FLUSH)', { commandTimeout: 5_000 }, { storeTimeout: 100 }, 'flushed'],
  ])('two clients: a refresh whose claim timed out (%s) fails with TokenStoreError, sending nothing; the next refreshes once and no session ends', async (_name, storeOptions, clientOptions, scripts) => {
    const server = await startAuthServer();
    const other = await connect(redis.url);
    try {
      const expired: string[] = [];
      // Redis stalls once, while a's claim (two arguments: the token's SHA-256 and a's claimant id) is on the wire.
      let stalled = false;
      const stall = (o: { arguments: string[] }) => {
        if (stalled || !isClaim(o)) return;
        stalled = true;
        process.kill(redis.pid(), 'SIGSTOP');
      };
      const stalling = {
        evalSha: (sha: string, o: { keys: string[]; arguments: string[] }) => (stall(o), client.evalSha(sha, o)),
        eval: (source: string, o: { keys: string[]; arguments: string[] }) => (stall(o), client.eval(source, o)),
      };
      const make = (name: string, redisClient: unknown) =>
        createCoveton({
          baseUrl: server.url,
          maxRetries: 0,
          tokenStore: redisTokenStore(redisClient as never, { key: 'k:late2', cacheFor: 0, ...storeOptions }),
          onSessionExpired: () => void expired.push(name),
          ...clientOptions,
        });
      await redisTokenStore(client, { key: 'k:late2' }).set(server.issue({ expired: true }));
      expect(await redisTokenStore(client, { key: 'k:late2' }).claim!('not-stored')).toBe(false); // Redis has the scripts cached, unless flushed below
      if (scripts === 'flushed') await client.scriptFlush();
      const first = await make('a', stalling).users.getCurrent().catch((e: unknown) => e);
      process.kill(redis.pid(), 'SIGCONT');
      expect(first).toBeInstanceOf(TokenStoreError);
      expect(server.refreshes).toHaveLength(0);
      await make('b', other).users.getCurrent();
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual([]);
    } finally {
      process.kill(redis.pid(), 'SIGCONT');
      await other.close();
      await server.close();
    }
  });

  // The claim computes the SHA-256 of the refresh token before it is sent. A client that gave up
  // meanwhile (storeTimeout) had the lock released with nothing to take back, and the claim went
  // out after the RELEASE, landed and stood. The digest is held here until the call has failed.
  it('a claim its holder gave up on before it was sent (storeTimeout during its digest) is never sent: the next holder refreshes once', async () => {
    const server = await startAuthServer();
    const other = await connect(redis.url);
    const digest = crypto.subtle.digest.bind(crypto.subtle);
    try {
      const expired: string[] = [];
      const sent: string[] = [];
      const recording = {
        evalSha: (sha: string, o: { keys: string[]; arguments: string[] }) => (sent.push(isClaim(o) ? 'claim' : 'other'), client.evalSha(sha, o)),
        eval: (source: string, o: { keys: string[]; arguments: string[] }) => (sent.push(isClaim(o) ? 'claim' : 'other'), client.eval(source, o)),
      };
      const store = redisTokenStore(recording as never, { key: 'k:slowdigest', cacheFor: 0 });
      await redisTokenStore(client, { key: 'k:slowdigest' }).set(server.issue({ expired: true }));
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      let claimed: Promise<boolean> | undefined;
      const slow = {
        ...store,
        claim: (refreshToken: string) => {
          vi.spyOn(crypto.subtle, 'digest').mockImplementationOnce(async (algorithm, data) => (await held, digest(algorithm, data)));
          return (claimed = store.claim!(refreshToken));
        },
      };
      const a = createCoveton({ baseUrl: server.url, maxRetries: 0, storeTimeout: 100, tokenStore: slow, onSessionExpired: () => void expired.push('a') });
      const first = await a.users.getCurrent().catch((e: unknown) => e);
      expect(first).toBeInstanceOf(TokenStoreError);
      letGo();
      expect(await claimed!.catch((e: unknown) => e)).toBeInstanceOf(RedisStoreError);
      expect(sent).not.toContain('claim');
      expect(await client.hGet('{k:slowdigest}', 'claim')).toBeNull();
      const b = createCoveton({ baseUrl: server.url, maxRetries: 0, tokenStore: redisTokenStore(other, { key: 'k:slowdigest', cacheFor: 0 }), onSessionExpired: () => void expired.push('b') });
      await b.users.getCurrent();
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual([]);
    } finally {
      vi.restoreAllMocks();
      await other.close();
      await server.close();
    }
  });

  // A holder that got a new pair must store it before anyone else takes the lock: the next holder
  // that found the old pair still claimed by it ended the session for the fleet, while it kept the
  // new pair in memory. Three ways its write landed after the RELEASE, or never.
  describe('a new pair whose write did not land before the lock was free', () => {
    /** A SET's arguments (the pair, its ttl, its refresh token's SHA-256, and what it replaces), on the session key. */
    const isSet = (o: { keys: string[]; arguments: string[] }) => !o.keys[0]!.endsWith(':lock') && o.arguments.length >= 3;
    /** A lock's ACQUIRE answered with a wait (another holder has it). */
    const isRefused = (o: { keys: string[]; arguments: string[] }, answer: unknown) => o.keys[0]!.endsWith(':lock') && o.arguments.length === 2 && answer !== 'acquired';
    type Hooks = { before?: (o: { keys: string[]; arguments: string[] }, how: 'evalSha' | 'eval') => Promise<void> | void; after?: (o: { keys: string[]; arguments: string[] }, answer: unknown) => void };
    const hooked = (base: typeof client, hooks: Hooks) => ({
      evalSha: async (sha: string, o: { keys: string[]; arguments: string[] }) => (await hooks.before?.(o, 'evalSha'), base.evalSha(sha, o).then((a) => (hooks.after?.(o, a), a))),
      eval: async (source: string, o: { keys: string[]; arguments: string[] }) => (await hooks.before?.(o, 'eval'), base.eval(source, o).then((a) => (hooks.after?.(o, a), a))),
    });
    const settled = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
    /** The refresh token went to the server once, never twice, and no client's session ended. */
    const oneRefreshNoneEnded = (server: { refreshes: unknown[]; reuses: number }, expired: string[]) => {
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual([]);
    };

    it('(a) the SET fails (a Redis error): the holder keeps the lock and writes it again; the next client gets the new pair, one refresh, no session ended', async () => {
      const server = await startAuthServer();
      const other = await connect(redis.url);
      try {
        const expired: string[] = [];
        let failed = 0;
        const failing = hooked(client, {
          before: (o) => {
            if (isSet(o) && failed++ === 0) throw new Error('READONLY You can\'t write against a read only replica.');
          },
        });
        const make = (name: string, redisClient: unknown) =>
          createCoveton({ baseUrl: server.url, maxRetries: 0, tokenStore: redisTokenStore(redisClient as never, { key: 'k:setfail', lockTtl: 300, cacheFor: 0 }), onSessionExpired: () => void expired.push(name) });
        await redisTokenStore(client, { key: 'k:setfail' }).set(server.issue({ expired: true }));
        await make('a', failing).users.getCurrent();
        expect(failed).toBe(1);
        await make('b', other).users.getCurrent();
        oneRefreshNoneEnded(server, expired);
        expect(failed).toBe(2);
      } finally {
        await other.close();
        await server.close();
      }
    });

    it.each(['seal', 'digest'] as const)('(b) the client gives up (storeTimeout) while the pair is sealed or hashed (%s held): the lock is kept until it is written; the next client gets the new pair, one refresh, no session ended', async (held) => {
      const server = await startAuthServer();
      const other = await connect(redis.url);
      const digest = crypto.subtle.digest.bind(crypto.subtle);
      try {
        const expired: string[] = [];
        const real = aesGcmTokenCipher({ keys: { k1: new Uint8Array(32).fill(7) }, current: 'k1' });
        let letGo!: () => void;
        const gate = new Promise<void>((resolve) => (letGo = resolve));
        let holding = false;
        const cipher: TokenCipher = {
          seal: async (plain, key) => {
            if (held === 'seal' && !holding) (holding = true), await gate;
            return real.seal(plain, key);
          },
          open: (sealed, key) => real.open(sealed, key),
        };
        const store = redisTokenStore(client, { key: 'k:slowset', lockTtl: 300, cacheFor: 0, cipher });
        const slow = {
          ...store,
          set: (tokens: Parameters<typeof store.set>[0]) => {
            if (tokens && held === 'digest' && !holding) {
              holding = true;
              vi.spyOn(crypto.subtle, 'digest').mockImplementationOnce(async (algorithm, data) => (await gate, digest(algorithm, data)));
            }
            return store.set(tokens);
          },
        };
        await redisTokenStore(client, { key: 'k:slowset', cipher: real }).set(server.issue({ expired: true }));
        const a = createCoveton({ baseUrl: server.url, maxRetries: 0, storeTimeout: 100, tokenStore: slow, onSessionExpired: () => void expired.push('a') });
        await a.users.getCurrent();
        expect(holding).toBe(true);
        let refused!: () => void;
        const wasRefused = new Promise<void>((resolve) => (refused = resolve));
        const waiting = hooked(other, { after: (o, answer) => isRefused(o, answer) && refused() });
        const b = createCoveton({ baseUrl: server.url, maxRetries: 0, tokenStore: redisTokenStore(waiting as never, { key: 'k:slowset', cacheFor: 0, cipher: real }), onSessionExpired: () => void expired.push('b') });
        const second = settled(b.users.getCurrent());
        await Promise.race([wasRefused, second]); // b waits for the lock, or (before) went on without waiting
        letGo();
        expect(await second).toMatchObject({ value: { id: 'usr_1' } });
        oneRefreshNoneEnded(server, expired);
      } finally {
        vi.restoreAllMocks();
        await other.close();
        await server.close();
      }
    });

    it('a write that never lands within lockWait is sent again meanwhile, and the lock is left to expire, never released: the next holder finds the token claimed', async () => {
      const sent: string[] = [];
      const refusing = hooked(client, {
        before: (o) => {
          if (o.keys[0]!.endsWith(':lock') && o.arguments.length === 1) sent.push('release');
          if (!isSet(o)) return;
          sent.push('set');
          throw new Error('OOM command not allowed when used memory > \'maxmemory\'.');
        },
      });
      const a = redisTokenStore(refusing as never, { key: 'k:neverlands', lockTtl: 300, lockWait: 400, cacheFor: 0 });
      const b = redisTokenStore(client, { key: 'k:neverlands', lockTtl: 300, lockWait: 5_000, cacheFor: 0 });
      await b.set(pair(9));
      const failed = await a.lock!(async () => (expect(await a.claim!('rt_9_secret')).toBe(true), Promise.resolve(a.set(pair(10), 'rt_9_secret')).catch((e: unknown) => e)));
      expect(failed).toBeInstanceOf(RedisStoreError);
      expect(await b.lock!(async () => [await b.get(), await b.claim!('rt_9_secret')])).toEqual([pair(9), false]);
      expect(sent.filter((what) => what === 'set').length).toBeGreaterThan(1);
      expect(sent).not.toContain('release');
    });

    // After a restart or SCRIPT FLUSH, another session's lock had Redis cache the release script
    // again, and not the write's: the SET sent by EVALSHA and answered NOSCRIPT was sent again as
    // EVAL after the RELEASE, which had run. That EVAL is held here until the next client is done.
    it('(c) the SET answered NOSCRIPT while the client had given up (storeTimeout): it is never sent a second time after the release; the next client gets the new pair, one refresh, no session ended', async () => {
      const server = await startAuthServer();
      const other = await connect(redis.url);
      let nextDone!: () => void;
      const next = new Promise<void>((resolve) => (nextDone = resolve));
      try {
        const expired: string[] = [];
        let stalled = false;
        let shaSet = false;
        let released!: () => void;
        const wasReleased = new Promise<void>((resolve) => (released = resolve));
        const stalling = hooked(client, {
          before: async (o, how) => {
            if (!isSet(o)) return;
            if (how === 'evalSha') shaSet = true;
            else if (shaSet) await next; // the second send of the write, once the next client is done
            if (stalled) return;
            stalled = true;
            process.kill(redis.pid(), 'SIGSTOP');
          },
          after: (o, answer) => o.keys[0]!.endsWith(':lock') && o.arguments.length === 1 && answer === 1 && released(),
        });
        const make = (name: string, redisClient: unknown, clientOptions = {}) =>
          createCoveton({ baseUrl: server.url, maxRetries: 0, tokenStore: redisTokenStore(redisClient as never, { key: 'k:setnoscript', cacheFor: 0, commandTimeout: 5_000 }), onSessionExpired: () => void expired.push(name), ...clientOptions });
        await redisTokenStore(client, { key: 'k:setnoscript' }).set(server.issue({ expired: true }));
        await client.scriptFlush();
        await redisTokenStore(client, { key: 'k:another-session' }).lock!(async () => undefined); // caches ACQUIRE and RELEASE
        await make('a', stalling, { storeTimeout: 100 }).users.getCurrent();
        expect(stalled).toBe(true);
        process.kill(redis.pid(), 'SIGCONT');
        await wasReleased;
        const second = await settled(make('b', other).users.getCurrent());
        nextDone();
        expect(second).toMatchObject({ value: { id: 'usr_1' } });
        oneRefreshNoneEnded(server, expired);
      } finally {
        nextDone();
        process.kill(redis.pid(), 'SIGCONT');
        await other.close();
        await server.close();
      }
    });
  });

  it('a token claimed by another holder ends the session without sending it, and the error says it may have been sent, not that it was', async () => {
    const server = await startAuthServer();
    try {
      await redisTokenStore(client, { key: 'k:claimed' }).set(server.issue({ expired: true }));
      const tokens = (await redisTokenStore(client, { key: 'k:claimed' }).get())!;
      expect(await redisTokenStore(client, { key: 'k:claimed' }).claim!(tokens.refreshToken)).toBe(true); // a holder that died
      const expired: unknown[] = [];
      const coveton = createCoveton({ baseUrl: server.url, maxRetries: 0, tokenStore: redisTokenStore(client, { key: 'k:claimed', cacheFor: 0 }), onSessionExpired: (e) => void expired.push(e) });
      const error = await coveton.users.getCurrent().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'SessionExpiredError', message: 'An earlier holder of the session lock claimed this refresh token, so it may have been sent, and never stored a new pair: sign in again.' });
      expect(expired).toEqual([error]);
      expect(server.refreshes).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('reuses a pair it read for cacheFor ms, but always reads Redis under the lock', async () => {
    const writer = redisTokenStore(client, { key: 'k:cache' });
    const reader = redisTokenStore(client, { key: 'k:cache', cacheFor: 300 });
    await writer.set(pair(1));
    expect(await reader.get()).toEqual(pair(1));
    await writer.set(pair(2)); // another process refreshed
    expect(await reader.get()).toEqual(pair(1)); // within cacheFor: the pair in hand
    expect(await reader.lock!(async () => reader.get())).toEqual(pair(2)); // under the lock: Redis
    await writer.set(pair(3));
    await sleep(320);
    expect(await reader.get()).toEqual(pair(3));
  });

  it('fails with an error (never hangs) when Redis does not answer', async () => {
    const dead = await createClient({ url: 'redis://127.0.0.1:9', socket: { reconnectStrategy: false, connectTimeout: 200 } })
      .on('error', () => {});
    const store = redisTokenStore(dead as never, { key: 'k:dead', commandTimeout: 200 });
    const started = Date.now();
    await expect(store.get()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('redisRateLimitStore', () => {
  it('lets one send per process out until someone learns the figures, then spends the window once for all', async () => {
    const a = redisRateLimitStore(client, { key: 'r:1' });
    const b = redisRateLimitStore(client, { key: 'r:1' });
    const now = Date.now();
    const first = await a.take({ now, inFlight: 0 });
    expect(first).toEqual({ ticket: 1 });
    expect(await a.take({ now, inFlight: 1 })).toEqual({ wait: Number.POSITIVE_INFINITY, why: 'learning' });
    expect(await b.take({ now, inFlight: 0 })).toEqual({ ticket: 2 });
    await a.report({ now, ticket: 1, answered: true, figures: { limit: 4, remaining: 3, resetAt: now + 1_000 } });
    // 4 a window, 2 sent: 2 left for the whole fleet.
    expect(await b.take({ now, inFlight: 1 })).toEqual({ ticket: 3 });
    expect(await a.take({ now, inFlight: 0 })).toEqual({ ticket: 4 });
    expect(await b.take({ now, inFlight: 2 })).toEqual({ wait: 1_000, why: 'window' });
    // A 429 pauses every process for its Retry-After.
    await b.report({ now, ticket: 2, answered: true, tooMany: { pause: 500 } });
    expect(await a.take({ now: now + 100, inFlight: 0 })).toEqual({ wait: 400, why: 'pause' });
  });

  it('keeps the caller\'s own budget for the fleet', async () => {
    const a = redisRateLimitStore(client, { key: 'r:2' });
    const now = Date.now();
    const budget = { requests: 2, interval: 1_000 };
    await a.take({ now, inFlight: 0, budget });
    await a.report({ now, ticket: 1, answered: true });
    expect(await a.take({ now: now + 10, inFlight: 0, budget })).toEqual({ ticket: 2 });
    expect(await a.take({ now: now + 20, inFlight: 0, budget })).toEqual({ wait: 980, why: 'budget' });
  });

  // Redis turns a Lua number past 2^63 (1e300, inf) into its smallest integer: a wait of -9.2e18 ms,
  // which the queue would take as "go now", ask again at once, and never send.
  it.each([
    ['pausedUntil 1e300', { pausedUntil: '1e300' }],
    ['pausedUntil inf', { pausedUntil: 'inf' }],
    ['pausedUntil 2^63 - 1', { pausedUntil: '9223372036854775807' }],
    ['a spent window ending at 1e300', { left: '0', windowEnd: '1e300', learned: '1' }],
  ])('state it did not write (%s) gives no wait below 0: the take fails as Redis failing', async (_name, fields) => {
    await client.hSet('{r:3}', fields);
    const store = redisRateLimitStore(client, { key: 'r:3' });
    await expect(store.take({ now: Date.now(), inFlight: 0 })).rejects.toThrow(RedisStoreError);
    await client.del('{r:3}');
  });

  // A budget wait is never compared with maxRetryAfter (the caller chose that budget): a co-tenant's
  // entry dated 31 years ahead in the budget log made every call wait that long, sending nothing.
  it('a budget wait past the budget\'s interval (an entry far ahead in the budget log) is state it did not write: the take fails as Redis failing', async () => {
    const now = Date.now();
    const budget = { requests: 1, interval: 60_000 };
    await client.zAdd('{r:5}:budget', { score: now + 1e12, value: 'x' });
    const store = redisRateLimitStore(client, { key: 'r:5' });
    await expect(store.take({ now, inFlight: 0, budget })).rejects.toThrow(new RedisStoreError('the rate-limit state at {r:5} gave a budget wait of 1000000060000 ms, more than twice the budget\'s interval of 60000 ms: it was not written by this store'));
    // An entry of a process whose clock runs an interval ahead gives twice the interval: still a wait.
    await client.zAdd('{r:5}:budget', { score: now + 60_000, value: 'x' });
    expect(await store.take({ now, inFlight: 0, budget })).toEqual({ wait: 120_000, why: 'budget' });
    await client.del('{r:5}:budget');
  });

  it.each([
    ['a pausedUntil of 1e300', async () => void (await client.hSet('{r:4}', { pausedUntil: '1e300' })), undefined],
    ['a budget log entry 1e12 ms ahead', async () => void (await client.zAdd('{r:4}:budget', { score: Date.now() + 1e12, value: 'x' })), { requests: 1, interval: 60_000 }],
  ])('with state it did not write (%s), a call goes out on the local figures: one send, one take from Redis, one warning', async (_name, write, budget) => {
    await write();
    let evals = 0;
    const counted = { evalSha: (...a: Parameters<typeof client.evalSha>) => (evals++, client.evalSha(...a)), eval: (...a: Parameters<typeof client.eval>) => (evals++, client.eval(...a)) };
    let sent = 0;
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const coveton = createCoveton({
      baseUrl: 'https://api.example.test/v1',
      apiKey: 'ak_test_rateLimitKey1234',
      deadline: 2_000,
      logger,
      logLevel: 'warn',
      fetch: async () => (sent++, new Response('{"id":"key_1"}', { status: 200, headers: { 'content-type': 'application/json' } })),
      rateLimit: { store: redisFallbackStore(counted as never, { key: 'r:4' }), ...(budget ? { budget } : {}) },
    });
    await coveton.apiKeys.get('key_1');
    expect(sent).toBe(1);
    expect(evals).toBe(1); // the take; the report goes to the local figures while Redis is out
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toContain('shared rate-limit store is unreachable');
    await client.del(['{r:4}', '{r:4}:budget']);
  });
});

describe('redisTokenStore with a cipher', () => {
  const key1 = new Uint8Array(32).fill(7);
  const key2 = new Uint8Array(32).fill(9);
  const sealedWith = (id: string, bytes: Uint8Array) => aesGcmTokenCipher({ keys: { [id]: bytes }, current: id });

  /** Every command Redis is sent while `work` runs, as MONITOR shows it. */
  async function monitored(work: () => Promise<void>): Promise<string[]> {
    const watcher = await client.duplicate().connect();
    const lines: string[] = [];
    await watcher.monitor((line) => void lines.push(line));
    await work();
    const end = `monitor:end:${Math.random()}`;
    await client.get(end);
    while (!lines.some((line) => line.includes(end))) await sleep(5);
    await watcher.close();
    return lines;
  }

  it('a refresh through the client: Redis holds ciphertext, and no command carries the access or the refresh token', async () => {
    const server = await startAuthServer();
    try {
      const first = server.issue({ expired: true });
      const store = redisTokenStore(client, { key: 'k:sealed', cipher: sealedWith('k1', key1) });
      const coveton = createCoveton({ baseUrl: server.url, tokenStore: store, maxRetries: 0 });
      const lines = await monitored(async () => {
        await store.set(first);
        await coveton.users.getCurrent();
      });
      expect(server.refreshes).toHaveLength(1);
      const second = (await store.get())!;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      const stored = (await client.hGet('{k:sealed}', 'pair'))!;
      expect(stored).toMatch(/^sealed:cvt1\.k1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
      expect(lines.some((line) => line.includes('"EVALSHA"') || line.includes('"EVAL"'))).toBe(true);
      for (const secret of [first.accessToken, first.refreshToken, second.accessToken, second.refreshToken]) {
        expect(stored).not.toContain(secret);
        expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      }
    } finally {
      await server.close();
    }
  });

  it('control: without a cipher the pair is written in clear, and MONITOR shows the refresh token', async () => {
    const store = redisTokenStore(client, { key: 'k:clear' });
    const lines = await monitored(async () => void (await store.set(pair(5))));
    // EVALSHA, and EVAL after its NOSCRIPT the first time this script runs on this server.
    expect(lines.filter((line) => line.includes('rt_5_secret')).length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await client.hGet('{k:clear}', 'pair'))!)).toEqual(pair(5));
  });

  it('fails closed with TokenDecryptError, and sends nothing, when the stored pair does not open', async () => {
    const server = await startAuthServer();
    try {
      const tokens = server.issue({ expired: false });
      await redisTokenStore(client, { key: 'k:wrong', cipher: sealedWith('k1', key1) }).set(tokens);
      await redisTokenStore(client, { key: 'k:clear2' }).set(tokens);
      await redisTokenStore(client, { key: 'k:tampered', cipher: sealedWith('k1', key1) }).set(tokens);
      const sealed = (await client.hGet('{k:tampered}', 'pair'))!;
      await client.hSet('{k:tampered}', 'pair', sealed.slice(0, -6) + (sealed.at(-6) === 'A' ? 'B' : 'A') + sealed.slice(-5));
      await client.hSet('{k:moved}', await client.hGetAll('{k:wrong}'));
      const cases: [string, TokenCipher | undefined][] = [
        ['k:wrong', sealedWith('k1', key2)], // same id, other bytes
        ['k:wrong', sealedWith('k2', key2)], // a key id the cipher does not hold
        ['k:wrong', undefined], // sealed, and no cipher given
        ['k:clear2', sealedWith('k1', key1)], // in clear where a sealed pair belongs
        ['k:tampered', sealedWith('k1', key1)],
        ['k:moved', sealedWith('k1', key1)], // another session's sealed pair
      ];
      for (const [key, cipher] of cases) {
        const coveton = createCoveton({ baseUrl: server.url, tokenStore: redisTokenStore(client, { key, cipher }), maxRetries: 0 });
        const error = await coveton.users.getCurrent().then(() => undefined, (e: unknown) => e);
        expect(error, key).toBeInstanceOf(TokenDecryptError);
        expect(error).toBeInstanceOf(TokenStoreError);
        expect(error).toBeInstanceOf(CovetonError);
        expect((error as TokenDecryptError).key).toBe(`{${key}}`);
        const shown = `${(error as Error).message} ${JSON.stringify(error)}`;
        expect(shown).not.toContain(tokens.refreshToken);
        expect(shown).not.toContain(tokens.accessToken);
      }
      expect(server.requests).toHaveLength(0);
      // A client that holds a good pair stops too once the stored one no longer opens.
      const store = redisTokenStore(client, { key: 'k:later', cipher: sealedWith('k1', key1), cacheFor: 0 });
      await store.set(tokens);
      const coveton = createCoveton({ baseUrl: server.url, tokenStore: store, maxRetries: 0 });
      await coveton.users.getCurrent();
      await client.hSet('{k:later}', 'pair', sealed);
      await expect(coveton.users.getCurrent()).rejects.toBeInstanceOf(TokenDecryptError);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('a stored value that is not JSON (a bare refresh token another app wrote): TokenDecryptError, its cause not quoting the value', async () => {
    await client.hSet('{k:bare}', 'pair', 'rt_BARE_secret_value');
    const store = redisTokenStore(client, { key: 'k:bare' });
    const error = await Promise.resolve().then(() => store.get()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TokenDecryptError);
    expect(inspect(error, { depth: 5 })).not.toContain('rt_BARE');
    expect(String((error as Error).cause)).toBe('SyntaxError: the stored pair is not JSON');
  });

  it('rotates: a pair sealed with an old key opens while that key is listed, and the next write seals with the current one', async () => {
    await redisTokenStore(client, { key: 'k:rotate', cipher: sealedWith('k1', key1) }).set(pair(1));
    const rotated = redisTokenStore(client, { key: 'k:rotate', cipher: aesGcmTokenCipher({ keys: { k2: key2, k1: key1 }, current: 'k2' }) });
    expect(await rotated.get()).toEqual(pair(1));
    await rotated.set(pair(2));
    expect(await client.hGet('{k:rotate}', 'pair')).toMatch(/^sealed:cvt1\.k2\./);
    await expect(redisTokenStore(client, { key: 'k:rotate', cipher: sealedWith('k1', key1) }).get()).rejects.toBeInstanceOf(TokenDecryptError);
    expect(await redisTokenStore(client, { key: 'k:rotate', cipher: sealedWith('k2', key2) }).get()).toEqual(pair(2));
  });

  it('refuses keys that are not 32 bytes, bad key ids and a current key it does not hold', () => {
    expect(() => aesGcmTokenCipher({ keys: { k1: new Uint8Array(16) }, current: 'k1' })).toThrow(/32 bytes/);
    expect(() => aesGcmTokenCipher({ keys: { 'k.1': key1 }, current: 'k.1' })).toThrow(/key id/);
    expect(() => aesGcmTokenCipher({ keys: { k1: key1 }, current: 'k2' })).toThrow(/current/);
    expect(() => aesGcmTokenCipher({ keys: {}, current: 'k1' })).toThrow(/at least one/);
  });

  it('refuses, when made, a key that is neither 32 bytes nor an AES-GCM CryptoKey that encrypts and decrypts', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const good = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    for (const key of ['0'.repeat(32), new DataView(new ArrayBuffer(32)), new Int8Array(32), hmac, encryptOnly, null]) {
      expect(() => aesGcmTokenCipher({ keys: { k1: key as never }, current: 'k1' }), String(key)).toThrow(/must be 32 bytes .* or an AES-GCM CryptoKey/);
    }
    const store = redisTokenStore(client, { key: 'k:cryptokey', cipher: aesGcmTokenCipher({ keys: { k1: good }, current: 'k1' }) });
    await store.set(pair(1));
    expect(await store.get()).toEqual(pair(1));
  });

  it('stores what any cipher seals, JSON included, and names the cipher when it cannot seal', async () => {
    // A KMS-style envelope in JSON: its text starts with `{` as a pair in clear does.
    const json: TokenCipher = {
      seal: async (text, context) => JSON.stringify({ v: 1, context, data: btoa(text) }),
      open: async (sealed, context) => {
        const { context: was, data } = JSON.parse(sealed);
        if (was !== context) throw new Error('another session');
        return atob(data);
      },
    };
    const store = redisTokenStore(client, { key: 'k:json', cipher: json, cacheFor: 0 });
    await store.set(pair(1));
    expect(await client.hGet('{k:json}', 'pair')).toMatch(/^sealed:\{"v":1,/);
    expect(await store.get()).toEqual(pair(1));

    const broken: TokenCipher = { seal: async () => Promise.reject(new RangeError('key unavailable')), open: async () => '' };
    const failing = redisTokenStore(client, { key: 'k:broken', cipher: broken });
    await expect(failing.set(pair(1))).rejects.toThrow(/token cipher could not seal the pair \(RangeError\); nothing was stored/);
    expect(await client.exists('{k:broken}')).toBe(0);
  });
});

describe('store keys share one hash tag (one Redis Cluster slot)', () => {
  it('wraps a key without a tag whole, and keeps a tag the key has', async () => {
    const plain = redisTokenStore(client, { key: 'coveton:session:usr_1' });
    const tagged = redisTokenStore(client, { key: 'coveton:{usr_1}:session' });
    expect(plain.key).toBe('{coveton:session:usr_1}');
    expect(tagged.key).toBe('coveton:{usr_1}:session');
    await plain.lock!(async () => {
      expect(await client.exists('{coveton:session:usr_1}:lock')).toBe(1);
    });
    await tagged.lock!(async () => {
      expect(await client.exists('coveton:{usr_1}:session:lock')).toBe(1);
    });
    const budget = redisRateLimitStore(client, { key: 'coveton:rate:ak_1' });
    expect(budget.key).toBe('{coveton:rate:ak_1}');
    await budget.take({ now: Date.now(), inFlight: 0, budget: { requests: 5, interval: 1_000 } });
    expect((await client.keys('{coveton:rate:ak_1}*')).sort()).toEqual(['{coveton:rate:ak_1}', '{coveton:rate:ak_1}:budget', '{coveton:rate:ak_1}:out']);
  });
});
