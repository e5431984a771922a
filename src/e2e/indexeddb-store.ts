// A browser's key store: IndexedDB keeps what it is given by structured clone, so a CryptoKey
// made non-extractable stays one, and its private bytes never reach JavaScript, not even here.
import { E2EError } from './errors.js';
import type { KeyStore } from './store.js';

const TABLE = 'keys';

export interface IndexedDbKeyStoreOptions {
  /** The IndexedDB database to use (one per device on this origin). @default 'coveton-e2e' */
  database?: string;
}

/**
 * A key store in this origin's IndexedDB (browsers, web workers): keys survive reloads, and
 * private keys stay non-extractable CryptoKeys.
 * @example const device = await loadOrCreateDevice({ store: indexedDbKeyStore(), name: "Ada's laptop", platform: 'web' });
 */
export function indexedDbKeyStore(options: IndexedDbKeyStoreOptions = {}): KeyStore {
  const name = options.database ?? 'coveton-e2e';
  let opened: Promise<IDBDatabase> | undefined;
  const fail = (what: string, cause: unknown) => new E2EError('key_store_failed', `IndexedDB ${name}: ${what}`, { cause });

  const database = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new E2EError('unsupported_runtime', 'IndexedDB'));
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(TABLE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(fail('open', request.error));
    }));

  async function run<T>(mode: IDBTransactionMode, what: string, work: (table: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(TABLE, mode);
      const request = work(tx.objectStore(TABLE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(fail(what, tx.error ?? request.error));
    });
  }

  return {
    get: (key) => run('readonly', 'read', (t) => t.get(key)),
    set: async (key, value) => void (await run('readwrite', 'write', (t) => t.put(value, key))),
    delete: async (key) => void (await run('readwrite', 'delete', (t) => t.delete(key))),
  };
}
