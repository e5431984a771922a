// `@coveton/sdk/e2e`: end-to-end encryption for Coveton messages and files. Its own entry (not in
// the main bundle); it uses the client you pass it and imports no SDK code of its own.
import type { Coveton } from '@coveton/sdk';
import type { E2EApi } from './api.js';
import { createE2EClient, type E2EClient, type E2EClientOptions } from './client.js';
import { secretsOf, type Device } from './device.js';
import { checkStore } from './store.js';

export { CovetonError } from '../errors/base.js';
export { E2EError, type E2EErrorCode } from './errors.js';
export { loadOrCreateDevice, type Device, type LoadOptions, type Platform, type SignedPreKey } from './device.js';
export { memoryKeyStore, type KeyStore } from './store.js';
export { indexedDbKeyStore, type IndexedDbKeyStoreOptions } from './indexeddb-store.js';
export type { Attachment, FileSource, UploadOptions } from './files.js';
export type { Decrypted, E2EClient, E2EClientOptions, SendInput } from './client.js';
export type { IdentityChange, IdentityPolicy } from './trust.js';
export type { SafetyNumber } from './safety.js';
export type { StoredMessage } from './api.js';

/**
 * The e2e client of `device` over `coveton`: seal, open, files, safety numbers.
 * @throws E2EError `malformed` when `options.store` is given and is not a KeyStore (no `get`, `set` or `delete` function).
 */
export function e2eClient(coveton: Coveton, device: Device, options: E2EClientOptions = {}): E2EClient {
  const store = checkStore(options.store ?? secretsOf(device).store);
  return createE2EClient(coveton as unknown as E2EApi, device, store, options);
}
