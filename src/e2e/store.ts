// Where a device keeps its private keys, its pins of other users' identities and its replay
// records. Values are structured-clonable (CryptoKey, Uint8Array, plain objects), so a browser
// store keeps non-extractable CryptoKeys as they are and their bytes never reach JavaScript.
import { as } from './errors.js';
import { checked } from './shape.js';

export interface KeyStore {
  /**
   * True for a store that writes keys out as bytes (a file): the device then makes its keys
   * extractable so the store can write them, and the store reads them back non-extractable.
   * Stores that keep CryptoKey objects (memory, IndexedDB) leave it unset.
   */
  readonly writesKeyBytes?: boolean;
  get(name: string): Promise<unknown>;
  set(name: string, value: unknown): Promise<void>;
  delete(name: string): Promise<void>;
  /**
   * True for a store whose `update` below is this interface's (`fileKeyStore`,
   * `indexedDbKeyStore`): the SDK calls `update` only then. An `update` without it (a key-value
   * wrapper's own `update(name, value)`, meaning set) is never called: the SDK reads and sets.
   */
  readonly updatesInOneStep?: boolean;
  /**
   * Optional, called only when `updatesInOneStep` is true: reads the value of `name` (undefined
   * for none), awaits `change(value)` and writes exactly what it resolves to, as one step that no
   * other process or tab sharing the store runs into between the read and the write; resolves once
   * written. The device record's rotation steps go through it, so two rotations that overlap take
   * two keyIds and keep each other's keys. Without it, those steps are one at a time per store
   * object in this process only. `change` may be called again (a store redoing a step); the value
   * written is what its last call resolved to.
   */
  update?(name: string, change: (value: unknown) => Promise<unknown>): Promise<void>;
}

// A value that is not a store (`{}`, `null`, a `get` that is not a function) is refused where it is
// given, by the one type check of shape.ts, naming the option: else it failed only at the first
// read, as key_store_failed with a TypeError cause, as if a working store had failed. A TypeError
// a store's own method throws is that store failing, and stays key_store_failed (read and write below).
const STORE = { get: 'function', set: 'function', delete: 'function' } as const;
/** `store` itself, once it has the three functions of a KeyStore; else E2EError malformed naming the first it lacks (`store.get`). */
export const checkStore = (store: KeyStore): KeyStore => checked(store, STORE, 'store');

// Every call the SDK makes to a store goes through read and write, so the store's own failure (an
// app's Keychain or database throwing or rejecting with anything at all) reaches the caller as
// E2EError 'key_store_failed', naming the record, never its value; the original is the cause. An
// E2EError the SDK's stores throw (key_store_insecure, key_store_invalid, ...) passes through as
// it is. (The SDK deletes nothing from a store yet: a delete would come here too.)
/** Reads the record `name` from `store`. */
export const read = (store: KeyStore, name: string): Promise<unknown> => as('key_store_failed', `reading ${name}`, () => store.get(name));
/** Writes the record `name` to `store`; with `method` 'update', `value` is the change (`update` below). */
export const write = (store: KeyStore, name: string, value: unknown, method: 'set' | 'update' = 'set'): Promise<void> =>
  as('key_store_failed', `writing ${name}`, () => (store[method] as (name: string, value: unknown) => Promise<void>)(name, value));

// One read, change and write of a store's records at a time per store object, in call order:
// pins (trust.ts) and replay records (replay.ts) are read, changed and written back whole, so two
// such steps interleaved would have the later write drop what the earlier one added. Two processes
// or tabs on one store are not ordered (zero-knowledge.md).
const turns = new WeakMap<KeyStore, Promise<unknown>>();

/** Runs `step` once every earlier step on `store` has ended (failed or not). */
export function inTurn<T>(store: KeyStore, step: () => Promise<T>): Promise<T> {
  const run = (turns.get(store) ?? Promise.resolve()).then(step, step);
  turns.set(store, run);
  return run;
}

/**
 * Sets `name` to what `change` makes of it, as one step: in turn with every other step on this
 * store object, and through the store's own `update`, when it sets updatesInOneStep, against other
 * processes and tabs (read and write of a store without it: one process only). An `update` by name
 * alone is not trusted: an app store's own `update(name, value)` would store `change` itself.
 */
export const update = (store: KeyStore, name: string, change: (value: unknown) => Promise<unknown>): Promise<void> =>
  inTurn(store, async () => (store.updatesInOneStep ? write(store, name, change, 'update') : write(store, name, await change(await read(store, name)))));

/** A store in this process's memory: for tests and short-lived devices (lost on exit). */
export function memoryKeyStore(): KeyStore {
  const values = new Map<string, unknown>();
  return {
    get: async (name) => values.get(name),
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}
