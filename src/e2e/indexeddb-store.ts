// A browser's key store: IndexedDB keeps what it is given by structured clone, so a CryptoKey
// made non-extractable stays one, and its private bytes never reach JavaScript, not even here.
// Other tabs of the app share the database (https://w3c.github.io/IndexedDB/), so the connection
// is one this store may lose at any time; every failure is `fail`'s key_store_failed (but for
// unsupported_runtime where there is no IndexedDB). `update` holds a Web Lock, so a rotation in
// one tab reads another's new pre-key before it takes a keyId (store.ts update).
import { E2EError } from './errors.js';
import type { KeyStore } from './store.js';

const TABLE = 'keys';

export interface IndexedDbKeyStoreOptions {
  /** The IndexedDB database to use (one per device on this origin). @default 'coveton-e2e' */
  database?: string | undefined;
}

/**
 * A key store in this origin's IndexedDB (browsers, web workers): keys survive reloads, and
 * private keys stay non-extractable CryptoKeys.
 * @example const device = await loadOrCreateDevice({ store: indexedDbKeyStore(), name: "Ada's laptop", platform: 'web' });
 */
export function indexedDbKeyStore(options: IndexedDbKeyStoreOptions = {}): KeyStore {
  const name = options.database ?? 'coveton-e2e';
  /** The open connection, or the open under way; unset when there is none, so the next call opens. */
  let opened: Promise<IDBDatabase> | undefined;
  const fail = (what: string, cause: unknown) => new E2EError('key_store_failed', `IndexedDB ${name}: ${what}`, { cause });
  const forget = (was: Promise<IDBDatabase> | undefined) => void (opened === was && (opened = undefined));

  // One `indexedDB.open` per call that finds no connection: a failed open is forgotten, so it is
  // not every later call's answer until reload (what made it fail may pass: another tab deletes the
  // database), and it is never tried again within the call (a downgrade fails the same each time).
  function open(): Promise<IDBDatabase> {
    const attempt = new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new E2EError('unsupported_runtime', 'IndexedDB'));
      const request = indexedDB.open(name, 1); // throws SecurityError where storage is refused (opaque origins)
      request.onupgradeneeded = () => request.result.createObjectStore(TABLE);
      // Another tab upgrades or deletes the database: it waits (its `blocked` event) until every
      // connection is closed, so close at once (https://w3c.github.io/IndexedDB/#opening,
      // #deleting-a-database); the next call finds it closing and opens again (run).
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close();
        resolve(db);
      };
      // VersionError: the database's version is above our 1, so a newer release of the app
      // upgraded it in this origin (https://w3c.github.io/IndexedDB/#opening).
      request.onerror = () =>
        reject(
          request.error?.name === 'VersionError'
            ? fail('open: the database is at a version above 1: a newer release of this app upgraded it, and this page is an older one (a downgrade)', request.error)
            : fail('open', request.error),
        );
    }).catch((error: unknown) => {
      forget(attempt);
      throw error instanceof E2EError ? error : fail('open', error);
    });
    return attempt;
  }

  async function run<T>(mode: IDBTransactionMode, what: string, work: (table: IDBObjectStore) => IDBRequest<T>, again = true): Promise<T> {
    const connection = (opened ??= open());
    const db = await connection;
    let tx: IDBTransaction;
    try {
      tx = db.transaction(TABLE, mode);
    } catch (error) {
      // InvalidStateError: the connection is closing or closed, by us on versionchange or by the
      // browser (site data cleared). Its `close` event would come too late: the close pending flag
      // is set while its transactions finish (https://w3c.github.io/IndexedDB/#closing-connection,
      // the test met that window). Open once more, within this call. Anything else (NotFoundError:
      // a database of this name without our table) fails this call; the next opens again.
      db.close();
      forget(connection);
      if (again && error instanceof DOMException && error.name === 'InvalidStateError') return run(mode, what, work, false);
      throw fail(what, error);
    }
    return new Promise<T>((resolve, reject) => {
      try {
        // put and get throw at once for a value structured clone refuses (DataCloneError) or a
        // key that is not one (DataError); the transaction then commits nothing.
        const request = work(tx.objectStore(TABLE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = tx.onabort = () => reject(fail(what, tx.error ?? request.error));
      } catch (error) {
        reject(fail(what, error));
      }
    });
  }

  const get = (key: string) => run('readonly', 'read', (t) => t.get(key));
  const set = async (key: string, value: unknown) => void (await run('readwrite', 'write', (t) => t.put(value, key)));
  // An IndexedDB transaction cannot wait for `change` (it commits once no request is pending), so
  // the read, the change and the write hold a Web Lock named for the database and the record
  // instead (https://w3c.github.io/web-locks/): every tab and worker of the origin takes turns on
  // it. Where there is no Web Locks API, it is the read and the write alone (store.ts orders them
  // within this page).
  const locks = () => (globalThis as { navigator?: { locks?: { request<T>(name: string, work: () => Promise<T>): Promise<T> } } }).navigator?.locks;
  return {
    updatesInOneStep: true,
    get,
    set,
    delete: async (key) => void (await run('readwrite', 'delete', (t) => t.delete(key))),
    update: async (key, change) => {
      const step = async () => set(key, await change(await get(key)));
      const held = locks();
      await (held ? held.request(`coveton-e2e ${name} ${key}`, step) : step());
    },
  };
}
