// What the Redis stores of `@coveton/sdk/redis` add to a call: the same sequential GETs made by
// clients that keep the session and the rate-limit budget in memory (the defaults) and in
// Redis, interleaved over several rounds, against a redis-server started here on a free port
// (persistence off) and stopped by its process id. The added cost per call is the median of
// the round-by-round differences, so that drift on a shared machine cancels out.
//
// Alone: `node scripts/bench/redis-store.mjs`. Needs `redis-server` on the PATH (Debian's
// package); without it the part reports that it was skipped.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY, ROOT, asPart } from './child.mjs';
import { loadSdk } from './contenders.mjs';
import { batch, median, rotate } from './stats.mjs';

export const REDIS_NAMES = ['memory', 'redis-rate', 'memory-session', 'redis-session', 'redis-session-uncached', 'redis-both'];

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'coveton-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      process.kill(child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JWT-shaped access token that expires in a day: no refresh during the bench. */
function accessToken() {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'HS256' })}.${b64({ sub: 'usr_bench', exp: Math.floor(Date.now() / 1000) + 86_400 })}.c2ln`;
}

export async function run({ url, quick }) {
  if (spawnSync('redis-server', ['--version']).status !== 0) return { skipped: 'redis-server is not installed' };
  const calls = Number(process.env.BENCH_CALLS ?? (quick ? 300 : 1000));
  const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 3 : 7));
  const redisServer = await startRedis();
  const { createClient } = await import('redis');
  const redis = await createClient({ url: redisServer.url }).connect();
  try {
    const { createCoveton } = await loadSdk();
    const { redisRateLimitStore, redisTokenStore } = await import(join(ROOT, 'dist', 'redis.js'));
    const pair = { accessToken: accessToken(), refreshToken: 'rt_bench_0001' };
    const tokenStore = redisTokenStore(redis, { key: 'bench:session' });
    await tokenStore.set(pair);
    const base = { baseUrl: url, logLevel: 'off' };
    const rate = () => ({ store: redisRateLimitStore(redis, { key: 'bench:rate' }) });
    const clients = {
      memory: createCoveton({ ...base, apiKey: API_KEY }),
      'redis-rate': createCoveton({ ...base, apiKey: API_KEY, rateLimit: rate() }),
      'memory-session': createCoveton({ ...base, ...pair }),
      'redis-session': createCoveton({ ...base, tokenStore }),
      'redis-session-uncached': createCoveton({ ...base, tokenStore: redisTokenStore(redis, { key: 'bench:session', cacheFor: 0 }) }),
      'redis-both': createCoveton({ ...base, tokenStore, rateLimit: rate() }),
    };
    const calls_ = Object.fromEntries(REDIS_NAMES.map((n) => [n, () => clients[n].apiKeys.get('key_1')]));
    for (const name of REDIS_NAMES) await batch(calls_[name], quick ? 100 : 300);

    const samples = Object.fromEntries(REDIS_NAMES.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(REDIS_NAMES, round)) samples[name].push(await batch(calls_[name], calls));
    }
    // A bare round trip to this Redis, for scale.
    const ping0 = performance.now();
    for (let i = 0; i < calls; i++) await redis.ping();
    const pingUs = ((performance.now() - ping0) * 1000) / calls;

    const rows = Object.fromEntries(
      REDIS_NAMES.map((n) => [n, { wallUs: median(samples[n].map((s) => s.wallUs)), cpuUs: median(samples[n].map((s) => s.cpuUs)) }]),
    );
    const added = (name, baseName) => ({
      wallUs: median(samples[name].map((s, i) => s.wallUs - samples[baseName][i].wallUs)),
      cpuUs: median(samples[name].map((s, i) => s.cpuUs - samples[baseName][i].cpuUs)),
    });
    const result = {
      calls,
      rounds,
      pingUs,
      rows,
      added: {
        rate: added('redis-rate', 'memory'),
        session: added('redis-session', 'memory-session'),
        sessionUncached: added('redis-session-uncached', 'memory-session'),
        both: added('redis-both', 'memory-session'),
      },
    };
    console.log(
      `redis stores, added per call: rate limit ${(result.added.rate.wallUs / 1000).toFixed(3)} ms, session ${(result.added.session.wallUs / 1000).toFixed(3)} ms (read every call: ${(result.added.sessionUncached.wallUs / 1000).toFixed(3)} ms), both ${(result.added.both.wallUs / 1000).toFixed(3)} ms (a PING: ${(pingUs / 1000).toFixed(3)} ms)`,
    );
    return result;
  } finally {
    await redis.close();
    redisServer.stop();
  }
}

await asPart(import.meta, run);
