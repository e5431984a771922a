// `@coveton/sdk/e2e/node`: a device's key store in a file, for Node (servers, CLIs, desktop apps).
// Node only (node:fs): its own entry, so a browser bundle of `@coveton/sdk/e2e` never meets it.
//
// The file is JSON, mode 0600, replaced whole on every write (a temporary file in the same
// folder, synced, then renamed over it: a crash leaves the old file or the new one, never half;
// the temporary file a killed writer leaves is removed by a later write, see `sweep`).
// A file others may read or write is refused (`key_store_insecure`), as is one that is not a key
// store or is damaged (`key_store_invalid`). Keys are written as bytes (PKCS#8 for private keys,
// raw for public ones) and read back as non-extractable CryptoKeys.
//
// Processes may share the file (a CLI and a daemon of one device): a write reads the file as it
// is now, changes its one record and replaces the file, under a lock file (node-file-lock.ts), so no write drops what
// another process wrote (each used to write back its own first read of the file, losing a
// rotated pre-key's private half); a read reads the file again. `update` reads the record too
// under that lock, so a read, change and write of one record (a rotation's) is one step.
//
// Encoding: a key is `{"$key": …}` and bytes are `{"$bytes": "<base64>"}`, objects with that one
// property; in any other object a property name starting with `$` is written with one more `$`
// in front, so no stored value is ever read back as a key or as bytes ("$key" is kept as "$$key").
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { E2EError } from './errors.js';
import { abandoned, takeLock, type Held } from './node-file-lock.js';
import type { KeyStore } from '@coveton/sdk/e2e';

const FORMAT = 'coveton-e2e-key-store';
/** How many times a change is redone after its lock was taken from it (node-file-lock.ts). */
const REDOS = 3;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface KeyJson {
  algorithm: 'Ed25519' | 'X25519';
  type: 'private' | 'public';
  usages: KeyUsage[];
  bytes: string;
}

const invalid = (path: string, what: string, cause?: unknown) => new E2EError('key_store_invalid', `${path}: ${what}`, { cause });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Sets an own property, whatever its name ("__proto__" included). */
const put = (into: object, name: string, value: unknown) => Object.defineProperty(into, name, { value, enumerable: true, writable: true, configurable: true });
const tagged = (v: Record<string, unknown>, tag: string) => Object.keys(v).length === 1 && Object.hasOwn(v, tag);

/** A key store in the file at `path` (created with mode 0600 on the first write). */
export function fileKeyStore(path: string): KeyStore {
  // What each key read from the file was, so it can be written again though it is non-extractable.
  const written = new WeakMap<CryptoKey, KeyJson>();
  let writing: Promise<void> = Promise.resolve();

  async function toJson(value: unknown): Promise<Json> {
    if (value instanceof CryptoKey) {
      const known = written.get(value);
      if (known) return { $key: { ...known } };
      const algorithm = value.algorithm.name;
      if ((algorithm !== 'Ed25519' && algorithm !== 'X25519') || value.type === 'secret') throw invalid(path, `cannot hold a ${algorithm} ${value.type} key`);
      if (!value.extractable) throw invalid(path, 'a non-extractable key cannot be written to a file (create the device with this store)');
      const format = value.type === 'private' ? 'pkcs8' : 'raw';
      const bytes = Buffer.from(await crypto.subtle.exportKey(format, value)).toString('base64');
      return { $key: { algorithm, type: value.type, usages: [...value.usages], bytes } };
    }
    if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
    if (Array.isArray(value)) return Promise.all(value.map(toJson));
    if (isObject(value)) {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) put(out, k.startsWith('$') ? `$${k}` : k, await toJson(v));
      return out;
    }
    if (value === null || ['boolean', 'number', 'string'].includes(typeof value)) return value as Json;
    throw invalid(path, `cannot hold a ${typeof value}`);
  }

  async function fromJson(value: unknown): Promise<unknown> {
    if (Array.isArray(value)) return Promise.all(value.map(fromJson));
    if (!isObject(value)) return value;
    if (tagged(value, '$bytes')) {
      if (typeof value.$bytes !== 'string') throw invalid(path, 'bytes that are not base64');
      return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
    }
    if (tagged(value, '$key')) {
      const key = value.$key as KeyJson;
      if (!isObject(key) || !['Ed25519', 'X25519'].includes(key.algorithm) || !['private', 'public'].includes(key.type) || !Array.isArray(key.usages) || typeof key.bytes !== 'string') {
        throw invalid(path, 'a key entry that does not parse');
      }
      const bytes = Buffer.from(key.bytes, 'base64');
      let imported: CryptoKey;
      try {
        imported = await crypto.subtle.importKey(key.type === 'private' ? 'pkcs8' : 'raw', bytes, { name: key.algorithm }, key.type === 'public', key.usages);
      } catch (error) {
        throw invalid(path, `a ${key.algorithm} ${key.type} key that does not import`, error);
      }
      written.set(imported, key);
      return imported;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') && !k.startsWith('$$')) throw invalid(path, `a property ${JSON.stringify(k)} that is not escaped`);
      put(out, k.startsWith('$') ? k.slice(1) : k, await fromJson(v));
    }
    return out;
  }

  // The file as last read: its text, and its values still as JSON (decoded per `get`, so a
  // caller that changes what it got never changes what the next `get` answers).
  let cached: { text: string; values: Record<string, Json> } | undefined;

  /**
   * The values the file holds now. Read on every call: another process may have replaced the file
   * (a stat of mtime, size and inode can miss that: inodes are reused and mtimes are coarse), and
   * reading a small file is cheap; the text is parsed again only when it changed.
   */
  async function current(): Promise<Record<string, Json>> {
    let text: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw invalid(path, 'not a file');
      const mode = info.mode & 0o777;
      // Windows has no Unix modes to check.
      if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
        throw new E2EError('key_store_insecure', `${path} has mode ${mode.toString(8).padStart(4, '0')}: others may read or change it (chmod 600 it)`);
      }
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      if (error instanceof E2EError) throw error;
      throw new E2EError('key_store_failed', `${path}: read`, { cause: error });
    }
    if (text === cached?.text) return cached.values;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw invalid(path, 'not JSON', error);
    }
    if (!isObject(parsed) || parsed.format !== FORMAT || parsed.version !== 1 || !isObject(parsed.values)) throw invalid(path, `not a ${FORMAT} file of version 1`);
    cached = { text, values: parsed.values as Record<string, Json> };
    return cached.values;
  }

  // A temporary file of this store: `.<name>.<pid>.<random>.tmp` (the pid tells whether its writer is gone).
  const temporary = () => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  /** The names `temporary` gives, with or without the pid (an earlier release's): what `sweep` may remove. */
  const own = new RegExp(`^\\.${basename(path).replace(/[^\w]/g, '\\$&')}\\.(?:(\\d+)\\.)?[0-9a-f]{12}\\.tmp$`);

  /**
   * Removes this store's temporary files whose writer is gone: one killed mid-write left a full
   * copy of the private keys beside the file for good. Run holding the lock, so no writer of this
   * release is writing one; a writer of an earlier release (no lock) or one that lost its lock may
   * be, so only files its writer left are removed: its pid (in the name) no longer runs on this
   * host, or, with no pid in the name (an earlier release's), older than the lock's stale age
   * (`abandoned`, node-file-lock.ts). Only names of the store's own pattern are touched.
   */
  async function sweep(): Promise<void> {
    const folder = dirname(path);
    for (const name of await readdir(folder).catch(() => [])) {
      const match = own.exec(name);
      if (!match) continue;
      const pid = match[1];
      const file = join(folder, name);
      const info = await lstat(file).catch(() => undefined);
      if (info?.isFile() && abandoned(pid === undefined ? undefined : { pid: Number(pid), host: hostname() }, info.mtimeMs)) await unlink(file).catch(() => {});
    }
  }

  /** Replaces the file with `values`, if the lock is still `lock`'s (false: it was taken, nothing written). */
  async function save(values: Record<string, Json>, lock: Held): Promise<boolean> {
    const text = `${JSON.stringify({ format: FORMAT, version: 1, values })}\n`;
    const staged = temporary();
    try {
      const handle = await open(staged, 'wx', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (!(await lock.held())) {
        await unlink(staged);
        return false;
      }
      await rename(staged, path);
      return true;
    } catch (error) {
      await unlink(staged).catch(() => {});
      throw new E2EError('key_store_failed', `${path}: write`, { cause: error });
    }
  }

  /**
   * Sets `name` to what `encode` gives (none: deletes it) in the file as it is now; one change at a
   * time per store, in call order. With `reads`, `encode` is given the record as the file holds it,
   * read holding the lock, and a change redone after its lock was taken encodes again; else it
   * encodes once, before the lock is taken (a value the file cannot hold touches nothing).
   */
  const change = (name: string, encode?: (stored: Json | undefined) => Promise<Json>, reads = false): Promise<void> => {
    const next = writing.then(async () => {
      const json = reads ? undefined : await encode?.(undefined);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      for (let attempt = 1; ; attempt++) {
        const lock = await takeLock(path, temporary);
        try {
          await sweep();
          const values = { ...(await current()) };
          if (!encode) delete values[name];
          else put(values, name, reads ? await encode(Object.hasOwn(values, name) ? values[name] : undefined) : json!);
          if (await save(values, lock)) return;
        } finally {
          await lock.release();
        }
        // Another process took the lock while this one held it: its change is read again and redone.
        if (attempt === REDOS) throw new E2EError('key_store_failed', `${path}.lock: taken by another process ${REDOS} times during a write`);
      }
    });
    writing = next.catch(() => {});
    return next;
  };

  return {
    writesKeyBytes: true,
    updatesInOneStep: true,
    get: async (name) => {
      const values = await current();
      return Object.hasOwn(values, name) ? fromJson(values[name]) : undefined;
    },
    set: (name, value) => change(name, () => toJson(value)),
    // The read, the change and the write under one hold of the lock: a rotation in another
    // process reads this one's pre-key and takes the next keyId (store.ts update).
    update: (name, edit) => change(name, async (stored) => toJson(await edit(stored === undefined ? undefined : await fromJson(stored))), true),
    delete: (name) => change(name),
  };
}
