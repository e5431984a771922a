// The Redis token store's claim against what became of the refresh, against a real redis-server:
// a claim whose refresh spent nothing is taken back; a write from outside the lock (a sign-in in
// the same process) never takes the refresher's compare-and-set; the lock's release after a
// failed write, when lockWait is short and when the application has closed its client.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIError, SessionExpiredError, createCoveton } from '../../src/index.js';
import { redisTokenStore } from '../../src/redis/index.js';
import { startAuthServer } from '../support/auth-server.js';
import { startFaultServer } from '../support/fault-server.js';
import { redisFixture, type RedisClient } from './redis-server.js';

const fixture = redisFixture();

const pair = (n: number) => ({ accessToken: `at_${n}`, refreshToken: `rt_${n}_secret`, accessTokenExpiresAt: 1 });
type Args = { keys: string[]; arguments: string[] };
/** A client that runs `before` on each script call first (it may throw: the call is refused). */
const hooked = (base: RedisClient, before: (o: Args) => void) => ({
  evalSha: async (sha: string, o: Args) => (before(o), base.evalSha(sha, o)),
  eval: async (source: string, o: Args) => (before(o), base.eval(source, o)),
});
/** The write of a pair (its sealed text, ttl, SHA-256 and what it replaces) on the session key. */
const isSet = (o: Args) => !o.keys[0]!.endsWith(':lock') && o.arguments.length >= 3;

// A refresh answered 429 or 408 (or refused before it was sent) spent nothing and the session
// lived on in that process, but its claim stood after the lock's release: the next process to
// refresh found the token claimed by another holder and ended the session for the fleet.
describe('a claim whose refresh spent nothing', () => {
  it.each([
    ['answered 429', [429], 0, 1],
    ['answered 408', [408], 0, 1],
    ['answered 429 on each of 3 attempts (2 retries)', [429, 429, 429], 2, 3],
    ['refused before it was sent (nothing listens)', [], 0, 0],
  ] as const)('%s in one process: the claim is taken back, and the next process refreshes once; no reuse, no session ended', async (name, failures, maxRetries, reached) => {
    const server = await startAuthServer();
    const other = await fixture.connect();
    const nobody = await startFaultServer(() => undefined);
    await nobody.close();
    try {
      const key = `k:unspent:${name}`;
      await redisTokenStore(fixture.client, { key }).set(server.issue({ expired: true }));
      const expired: string[] = [];
      const make = (who: string, redisClient: RedisClient, baseUrl: string) =>
        createCoveton({
          baseUrl,
          maxRetries,
          backoff: { initialDelay: 1, maxDelay: 1, jitter: 0 },
          tokenStore: redisTokenStore(redisClient, { key, cacheFor: 0 }),
          onSessionExpired: () => void expired.push(who),
        });
      server.failRefresh.push(...failures);
      const first = await make('a', fixture.client, failures.length ? server.url : nobody.url).users.getCurrent().catch((e: unknown) => e);
      if (failures.length) expect(first).toMatchObject({ status: failures[0] });
      expect(first).toBeInstanceOf(failures.length ? APIError : APIConnectionError);
      expect(server.refreshes).toHaveLength(reached);
      expect(await fixture.client.hGet(`{${key}}`, 'claim')).toBeNull();
      expect(await make('b', other, server.url).users.getCurrent()).toMatchObject({ id: 'usr_1' });
      expect(server.refreshes).toHaveLength(reached + 1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual([]);
    } finally {
      await other.close();
      await server.close();
    }
  });

  it('a refresh answered 503 may have run: the session ends in that process and the token is never sent again, by it or by the next process', async () => {
    const server = await startAuthServer();
    const other = await fixture.connect();
    try {
      const key = 'k:unspent:503';
      await redisTokenStore(fixture.client, { key }).set(server.issue({ expired: true }));
      const expired: string[] = [];
      const make = (who: string, redisClient: RedisClient) =>
        createCoveton({ baseUrl: server.url, maxRetries: 2, logLevel: 'off', tokenStore: redisTokenStore(redisClient, { key, cacheFor: 0 }), onSessionExpired: () => void expired.push(who) });
      server.failRefresh.push(503);
      expect(await make('a', fixture.client).users.getCurrent().catch((e: unknown) => e)).toBeInstanceOf(SessionExpiredError);
      await make('b', other).users.getCurrent().catch(() => undefined);
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual(['a']);
    } finally {
      await other.close();
      await server.close();
    }
  });

  it('control: a refresh whose answer was lost (the server spent the token) is never taken back: the session ends, the token is never sent again', async () => {
    const server = await startAuthServer();
    const other = await fixture.connect();
    try {
      const key = 'k:unspent:control';
      await redisTokenStore(fixture.client, { key }).set(server.issue({ expired: true }));
      // The end of a's session does not land either: the claim is all the next process finds.
      const refusingEnd = hooked(fixture.client, (o) => {
        if (isSet(o) && o.arguments[0] === '') throw new Error('READONLY You can\'t write against a read only replica.');
      });
      const expired: string[] = [];
      // a's lock is renewed while it writes the end again, then left to expire: kept short here.
      const make = (who: string, redisClient: unknown, lockWait: number) =>
        createCoveton({ baseUrl: server.url, maxRetries: 0, logLevel: 'off', tokenStore: redisTokenStore(redisClient as never, { key, cacheFor: 0, lockTtl: 300, lockWait }), onSessionExpired: () => void expired.push(who) });
      server.failRefresh.push('drop');
      expect(await make('a', refusingEnd, 300).users.getCurrent().catch((e: unknown) => e)).toBeInstanceOf(SessionExpiredError);
      expect(await fixture.client.hGet(`{${key}}`, 'claim')).not.toBeNull();
      expect(await make('b', other, 10_000).users.getCurrent().catch((e: unknown) => e)).toBeInstanceOf(SessionExpiredError);
      expect(server.refreshes).toHaveLength(1);
      expect(server.reuses).toBe(0);
      expect(expired).toEqual(['a', 'b']);
    } finally {
      await other.close();
      await server.close();
    }
  });

  it('unclaim takes back only the claim its holder made under the lock it holds: not one a write replaced, nothing after the lock\'s end', async () => {
    const sent: string[] = [];
    const recording = hooked(fixture.client, (o) => {
      if (!o.keys[0]!.endsWith(':lock') && o.arguments.length === 1) sent.push('unclaim');
    });
    const a = redisTokenStore(recording as never, { key: 'k:unclaim', cacheFor: 0 });
    const b = redisTokenStore(fixture.client, { key: 'k:unclaim', cacheFor: 0 });
    await b.set(pair(1));
    await a.lock!(async () => {
      expect(await a.claim!('rt_1_secret')).toBe(true);
      await a.unclaim!('rt_other_secret'); // not the token it claimed
      expect(sent).toEqual([]);
      await a.unclaim!('rt_1_secret');
    });
    expect(sent).toEqual(['unclaim']);
    expect(await b.lock!(() => b.claim!('rt_1_secret'))).toBe(true); // b claims the token a never sent
    await b.set(pair(1));
    await a.lock!(async () => {
      expect(await a.claim!('rt_1_secret')).toBe(true);
      await a.set(pair(2), 'rt_1_secret');
      await a.unclaim!('rt_1_secret'); // a write replaced it
    });
    await a.unclaim!('rt_2_secret'); // outside the lock
    expect(sent).toEqual(['unclaim']);
    expect(await b.get()).toEqual(pair(2));
  });
});

// The store-wide compare-and-set was taken by any write made while the lock was held: a sign-in
// in the refreshing process took it, and the refresher's own write then went out unconditional
// and replaced the sign-in's pair with the rotated pair of the old session.
describe('a sign-in in the process that holds the lock', () => {
  it.each([
    ['between the claim and the refresher\'s write', 'before'],
    ['after the refresher\'s write', 'after'],
  ] as const)('%s: the sign-in\'s pair stays, in this process as from another', async (_name, when) => {
    for (const where of ['this process', 'another process'] as const) {
      const key = `k:signin:${when}:${where}`;
      const store = redisTokenStore(fixture.client, { key, cacheFor: 0 });
      const signIn = where === 'this process' ? store : redisTokenStore(fixture.client, { key, cacheFor: 0 });
      await store.set(pair(1));
      await store.lock!(async () => {
        expect(await store.claim!('rt_1_secret')).toBe(true);
        if (when === 'before') await signIn.set(pair(99));
        await store.set(pair(2), 'rt_1_secret'); // the pair the refresh of rt_1 got
        if (when === 'after') await signIn.set(pair(99));
      });
      expect(await redisTokenStore(fixture.client, { key }).get(), where).toEqual(pair(99));
    }
  });
  // Through the client (session.login with the refresh on the wire): redis-superseded-writes.test.ts.
});

describe('the lock\'s release after a write that failed', () => {
  // With lockWait at most a third of lockTtl, a failed write was never sent again: the lock was
  // left to expire and the next holder found the token claimed and ended the session.
  it('with lockWait shorter than a third of lockTtl, a failed write is sent again and lands; the next holder reads the new pair', async () => {
    let refused = 0;
    const refusingOnce = hooked(fixture.client, (o) => {
      if (isSet(o) && refused++ === 0) throw new Error('READONLY You can\'t write against a read only replica.');
    });
    const a = redisTokenStore(refusingOnce as never, { key: 'k:shortwait', lockTtl: 3_000, lockWait: 300, cacheFor: 0 });
    const b = redisTokenStore(fixture.client, { key: 'k:shortwait', lockTtl: 3_000, lockWait: 10_000, cacheFor: 0 });
    await b.set(pair(1));
    await a.lock!(async () => {
      expect(await a.claim!('rt_1_secret')).toBe(true);
      await expect(Promise.resolve(a.set(pair(2), 'rt_1_secret'))).rejects.toThrow(/Redis failed on set/);
    });
    expect(await b.lock!(async () => b.get())).toEqual(pair(2));
    expect(refused).toBe(2);
  });

  // The failed write's next send waited on a timer that kept the process alive for up to lockWait
  // after the application had closed its Redis client.
  it('a process that closes its Redis client while a failed write waits to be sent again exits on its own', async () => {
    const { outputFiles } = await build({
      entryPoints: [fileURLToPath(new URL('./release-child.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['redis'],
      logLevel: 'error',
    });
    const child = spawn(process.execPath, ['--input-type=module'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)), // where `redis` resolves
      env: { ...process.env, REDIS_URL: fixture.redis.url },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      const printed = new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('\n') && resolve()));
      child.stdin.end(outputFiles[0]!.text);
      await Promise.race([printed, exited]);
      expect(JSON.parse(out)).toEqual({ write: 'refused', handles: [] });
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    }
  });
});
