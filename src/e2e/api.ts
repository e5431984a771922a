// The part of the Coveton client the e2e entry calls, by structure: the e2e entry imports no
// SDK code, only these shapes, so it adds nothing to the main bundle and the main entry nothing to it.
// And what is checked of them where they come in: `collect` reads a device listing within the
// spec's bound, each bundle checked for type; MESSAGE, a stored message's fields.
import type { SignedPreKey } from './device.js';
import { as, E2EError } from './errors.js';
import type { Shape } from './shape.js';
import { checked } from './shape.js';

/** A device as `GET /chats/{id}/devices` and `GET /users/{id}/devices` list it (public keys only). */
export interface BundleDevice {
  id: string;
  userId: string;
  identityKey: string;
  signedPreKey: SignedPreKey;
  removedAt?: string | null;
}
const BUNDLE: Shape = {
  id: 'string',
  userId: 'string',
  identityKey: 'string',
  signedPreKey: { keyId: 'uint32', publicKey: 'string', signature: 'string' },
  removedAt: 'string?',
};

/** A message as the API stores and returns it. */
export interface StoredMessage {
  id: string;
  chatId: string;
  senderId: string;
  senderDeviceId: string;
  contentType: string;
  ciphertext: string;
  envelopes: { deviceId: string; header: string }[];
  fileIds?: string[];
  createdAt?: string;
  expiresAt?: string | null;
}
/** Every field of a stored message the e2e entry reads, checked before any is. */
export const MESSAGE: Shape = {
  id: 'string',
  chatId: 'string',
  senderId: 'string',
  senderDeviceId: 'string',
  contentType: 'string',
  ciphertext: 'string',
  envelopes: [{ deviceId: 'string', header: 'string' }],
  createdAt: 'string?',
  expiresAt: 'string?',
};

export interface DeviceApi {
  devices: {
    register(body: { name: string; platform: string; identityKey: string; signedPreKey: SignedPreKey }): Promise<{ id: string; userId: string }>;
    rotateSignedPreKey(id: string, body: SignedPreKey): Promise<unknown>;
  };
}

export interface E2EApi extends DeviceApi {
  devices: DeviceApi['devices'] & {
    listForChat(chatId: string): AsyncIterable<BundleDevice>;
    listForUser(userId: string): AsyncIterable<BundleDevice>;
  };
  messages: {
    send(
      body: {
        chatId: string;
        contentType: string;
        ciphertext: string;
        envelopes: { deviceId: string; header: string }[];
        senderDeviceId?: string;
        fileIds?: string[];
        expiresAt?: string;
      },
      options?: { idempotencyKey?: string },
    ): Promise<StoredMessage>;
  };
  files: {
    upload(body: unknown, options: { filename: string; contentType: string; size?: number }): Promise<{ fileId: string; size: number }>;
    download(fileId: string, options: { as: 'stream' }): Promise<ReadableStream<Uint8Array>>;
  };
}

/** The most devices one listing holds: the spec's maxItems of both device listings. */
export const MAX_DEVICES = 1000;

/**
 * Reads the device listing `list` starts, each bundle checked for type (`malformed`), refusing one
 * longer than the API may send (`bad_bundle`) as soon as it is: before any bundle is verified or
 * sealed to, and without reading an endless one to its end. The call failing (a 5xx, a 404, the
 * connection, an answer that is not a listing, an id the SDK will not send) is `api_failed`, the
 * SDK's error the cause: a caller tells "the server failed, retry later" (with its status and
 * request id) from a forged message, and every failure of the e2e client is an E2EError.
 */
export const collect = (list: () => AsyncIterable<BundleDevice>): Promise<BundleDevice[]> =>
  as('api_failed', 'listing devices', async () => {
    const out: BundleDevice[] = [];
    for await (const item of list()) {
      if (out.push(checked(item, BUNDLE, 'device')) > MAX_DEVICES) throw new E2EError('bad_bundle', `more than ${MAX_DEVICES} devices listed`);
    }
    return out;
  });
