// The part of the Coveton client the e2e entry calls, by structure: the e2e entry imports no
// SDK code, only these shapes, so it adds nothing to the main bundle and the main entry nothing to it.
import type { SignedPreKey } from './device.js';

/** A device as `GET /chats/{id}/devices` and `GET /users/{id}/devices` list it (public keys only). */
export interface BundleDevice {
  id: string;
  userId: string;
  identityKey: string;
  signedPreKey: SignedPreKey;
  removedAt?: string | null;
}

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

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
