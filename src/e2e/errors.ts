// The one error the e2e entry throws. `code` says what was wrong; the message never holds key
// material or plaintext, only ids the caller already has.
import { CovetonError } from '../errors/base.js';

export type E2EErrorCode =
  | 'unsupported_version' // an unknown version byte or suite id: refused, never guessed
  | 'not_for_this_device' // no envelope names this device, or it names a key this device does not hold
  | 'decrypt_failed' // an AEAD or HPKE open failed (a changed byte, a moved envelope, another chat or content type), or the server's expiresAt contradicts the signed one
  | 'key_commitment' // the content key does not match the commitment in the ciphertext
  | 'bad_signature' // the sender device's signature does not verify
  | 'unknown_sender' // the sender device is not among the bundles the API lists, or not the sender user's
  | 'device_removed' // the sender device was removed before it signed this, or a recipient is removed
  | 'replay' // the sealed body was opened on this device under another message id (named in the message)
  | 'truncated' // a file stream ended early or a ciphertext is shorter than its framing
  | 'malformed' // a length, an encoding or a field that does not parse
  | 'identity_changed' // a pinned identity changed and the policy is 'block'
  | 'bad_bundle' // a device bundle whose signed pre-key signature does not verify or is older than one seen for it, or a listing with a device id twice or over 1000 devices
  | 'not_registered' // the device has no id yet: call device.register first
  | 'unsupported_runtime' // WebCrypto lacks X25519 or Ed25519 here (or IndexedDB, for its store)
  | 'key_store_insecure' // a key store file others may read or write (mode wider than 0600)
  | 'key_store_invalid' // a key store file that is not one or is damaged, or a value it cannot hold
  | 'key_store_failed' // the key store could not read or write (disk, IndexedDB)
  | 'chunk_load_failed' // files or safety numbers, loaded on first use, did not load (offline page, chunk gone); the next call tries again
  | 'api_failed'; // an API call failed (a status, the connection, an answer that is not one): the SDK's error is the cause; says nothing about the message

export class E2EError extends CovetonError {
  override name = 'E2EError';
  constructor(
    readonly code: E2EErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
  }
}

/** Runs `work`; any failure becomes an E2EError of `code` (an E2EError passes through as is). */
export async function as<T>(code: E2EErrorCode, message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof E2EError) throw error;
    throw new E2EError(code, message, { cause: error });
  }
}
