// One process of the fleet: a Coveton client in its own Node process, sharing (or not) the
// session and the rate-limit budget through Redis. The test drives it over IPC: each `batch`
// message fires that many concurrent calls and answers with how each ended; `configure` sets up
// a new client for the next test (the processes live for the whole test file).
import { createClient } from 'redis';
import { createCoveton } from '../../src/index.js';
import { redisRateLimitStore, redisTokenStore } from '../../src/redis/index.js';
import type { CovetonOptions } from '../../src/public/options.js';
import type { SessionTokens } from '../../src/public/session.js';

interface Config {
  baseUrl: string;
  redisUrl?: string;
  sessionKey?: string;
  rateKey?: string;
  tokens?: SessionTokens;
  apiKey?: string;
  lockTtl?: number;
  refreshMargin?: number;
  maxRetries?: number;
  rateTimeout?: number;
  crash?: 'before-store' | 'after-store';
  /** Calls per run for this worker, instead of the run's (0: this worker sits the run out). */
  batch?: number;
}

type Message = { batch: number; call: 'me' | 'create' | 'get'; keyPrefix?: string } | { configure: Config } | { exit: true };

const id = Number(process.env.FLEET_WORKER);
const say = (message: unknown) => process.send!(message);
const hang = () => new Promise<never>(() => {});
const warnings: string[] = [];
const logger = {
  debug() {},
  info: (m: string) => void (m.includes('retrying') || warnings.push(`info ${m}`)),
  warn: (m: string, data?: unknown) => void warnings.push(`warn ${m} ${JSON.stringify(data)}`),
  error: (m: string) => void warnings.push(`error ${m}`),
};

let redis: Awaited<ReturnType<typeof connect>> | undefined;
let coveton: ReturnType<typeof createCoveton> | undefined;
let config: Config;
let n = 0;

function connect(url: string) {
  return createClient({ url, socket: { reconnectStrategy: () => 100 } })
    .on('error', () => {})
    .connect();
}

/** A new client for the next test: its own store keys, server and failure script. */
async function configure(next: Config) {
  config = next;
  if (config.redisUrl && !redis) redis = await connect(config.redisUrl);
  const options: CovetonOptions = {
    baseUrl: config.baseUrl,
    logger,
    logLevel: 'info',
    backoff: { initialDelay: 50, maxDelay: 200, jitter: 0 },
    headers: { 'x-fleet-worker': String(id) },
  };
  if (config.apiKey) options.apiKey = config.apiKey;
  if (config.refreshMargin !== undefined) options.refreshMargin = config.refreshMargin;
  if (config.maxRetries !== undefined) options.maxRetries = config.maxRetries;
  if (redis && config.sessionKey) {
    const store = redisTokenStore(redis, { key: config.sessionKey, lockTtl: config.lockTtl ?? 1_000, commandTimeout: 1_000 });
    // Dies holding the lock after the server answered: right before or right after the new pair
    // reached the store (onTokens comes after the store's write, so it is no crash point before it).
    options.tokenStore = config.crash
      ? {
          ...store,
          set: async (t, replaces) => {
            if (t && config.crash === 'after-store') await store.set(t, replaces);
            if (t) say({ crashPoint: true }), await hang();
            return store.set(t, replaces);
          },
        }
      : store;
  } else if (config.tokens) {
    Object.assign(options, config.tokens);
  }
  if (redis && config.rateKey) options.rateLimit = { store: redisRateLimitStore(redis, { key: config.rateKey, commandTimeout: config.rateTimeout ?? 400 }) };
  coveton = createCoveton(options);
  warnings.length = 0;
}

function call(kind: 'me' | 'create' | 'get', prefix: string) {
  if (kind === 'me') return coveton!.users.getCurrent();
  if (kind === 'get') return coveton!.apiKeys.get('key_1');
  return coveton!.apiKeys.create({ name: 'fleet', type: 'service', environment: 'sandbox' }, { idempotencyKey: `${prefix}-${id}-${++n}` });
}

async function main() {
  process.on('message', async (message: Message) => {
    if ('exit' in message) {
      await redis?.close().catch(() => {});
      process.exit(0);
    }
    if ('configure' in message) {
      await configure(message.configure);
      return say({ configured: true });
    }
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: config.batch ?? message.batch }, () =>
        call(message.call, message.keyPrefix ?? 'w').then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      ),
    );
    say({ outcomes, ms: Date.now() - started, warnings: warnings.splice(0) });
  });
  say({ ready: true });
}

main().catch((error) => {
  say({ fatal: String(error?.stack ?? error) });
  process.exit(1);
});
