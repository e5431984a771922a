// Every Redis operation of the stores is one Lua script, so that each decision is atomic and
// the stores need nothing of the client but EVALSHA/EVAL (node-redis 4 to 6, a cluster client,
// or a test double). Web Crypto only (SHA-1, random ids): no Node-only API here either. Scripts run by SHA-1, loaded on first use (NOSCRIPT) and again after a
// restart, by a second send; where the order on the connection matters, `now` sends EVAL once.
// Every call is bounded, because a client whose server is gone queues commands.
import { clampTimer } from '../util/timers.js';

/** The part of a node-redis client (`createClient()`, `createCluster()`) the stores use. */
export interface RedisScripting {
  /** Runs a loaded script by its SHA-1 (rejects with NOSCRIPT when Redis does not have it). */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Runs (and loads) a script. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis 5+: commands given up on are dropped from its offline queue instead of running later. */
  withCommandOptions?(options: { timeout?: number }): RedisScripting;
}

export interface Script {
  source: string;
  /** The SHA-1 EVALSHA wants, computed on first use (Web Crypto digests are async). */
  sha(): Promise<string>;
}

/** A digest in hex: SHA-1 is how Redis names scripts. */
export async function digestHex(algorithm: 'SHA-1' | 'SHA-256', text: string): Promise<string> {
  const digest = await crypto.subtle.digest(algorithm, new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The Redis keys of one store: `key` and `key` + each suffix, all with one hash tag so that a
 * Redis Cluster keeps them in one slot (a script may touch only one). A key that has a tag
 * (`coveton:{usr_8f2a}:session`) keeps it; any other is wrapped whole (`{coveton:session:usr_8f2a}`).
 */
export function slotKeys(key: string, ...suffixes: string[]): string[] {
  const open = key.indexOf('{');
  const tagged = open !== -1 && key.indexOf('}', open + 1) > open + 1;
  const base = tagged ? key : `{${key}}`;
  return [base, ...suffixes.map((suffix) => base + suffix)];
}

export function script(source: string): Script {
  let sha: Promise<string> | undefined;
  return { source, sha: () => (sha ??= digestHex('SHA-1', source)) };
}

/**
 * What the stores throw when Redis fails. The client turns it into its `TokenStoreError`
 * (sessions) or falls back to its own figures (rate limits).
 */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
}

/** The error reply of a store's script that found the other store's state at its key (token-scripts.ts GET, rate-limit-store.ts STATE). */
export const KEY_CONFLICT = 'COVETON_KEY_CONFLICT';

/**
 * A store's `key` holds what it did not write: the other store's state (a token store and a
 * rate-limit store given one key), or another kind of value (WRONGTYPE). Give it a key of its own.
 */
export class RedisKeyConflictError extends RedisStoreError {
  override name = 'RedisKeyConflictError';
  constructor(
    /** The store whose `key` it is. */
    readonly store: 'redisTokenStore' | 'redisRateLimitStore',
    /** The Redis key, hash tag included. */
    readonly key: string,
    found: string,
    options?: { cause?: unknown },
  ) {
    super(`${store}: its \`key\` ${key} holds ${found}; give each store a key of its own`, options);
  }
}

/**
 * A runner that gives up after `timeout` ms, whatever the client does. A reply that says the
 * store's key holds what it did not write becomes, here and only here, RedisKeyConflictError
 * naming `store`'s `key` option.
 */
export function scriptRunner(client: RedisScripting, timeout: number, store: RedisKeyConflictError['store']) {
  const redis = typeof client.withCommandOptions === 'function' ? client.withCommandOptions({ timeout }) : client;
  const bounded = <T>(work: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      // On expiry, give I/O one more turn first (setImmediate runs after the poll phase): on a
      // blocked event loop the answer may be waiting in the socket while the timer fires.
      const timer = setTimeout(() => setImmediate(() => reject(new RedisStoreError(`Redis did not answer within ${timeout} ms`))), clampTimer(timeout));
      work.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  const named = (keys: string[]) => (error: unknown): never => {
    const message = String((error as Error)?.message);
    // Redis may put its own `ERR ` before a script's error reply.
    if (message.replace(/^ERR /, '').startsWith(KEY_CONFLICT)) throw new RedisKeyConflictError(store, keys[0]!, store === 'redisTokenStore' ? 'a rate-limit budget' : 'a session');
    if (message.startsWith('WRONGTYPE')) throw new RedisKeyConflictError(store, keys[0]!, 'another kind of value (WRONGTYPE)', { cause: error });
    throw error;
  };
  const run = (s: Script, keys: string[], args: (string | number)[]): Promise<unknown> => {
    const options = { keys, arguments: args.map(String) };
    // One classification of the failure, whichever of the two sends it came from.
    const sent = async () => {
      try {
        return await bounded(redis.evalSha(await s.sha(), options));
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return bounded(redis.eval(s.source, options));
      }
    };
    return sent().catch(named(keys));
  };
  /**
   * EVAL with the script's text, handed to the client now: no digest to wait for and no NOSCRIPT
   * round trip, so on its connection it runs after every command asked for before it and before
   * every one asked for after it (a connection runs its commands in order).
   */
  const now = (s: Script, keys: string[], args: (string | number)[]): Promise<unknown> =>
    bounded(redis.eval(s.source, { keys, arguments: args.map(String) })).catch(named(keys));
  return Object.assign(run, { now });
}
