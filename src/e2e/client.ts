// `e2eClient(coveton, device)`: messages sealed to every active device of a chat and opened with
// this device's keys, files in STREAM segments, safety numbers. Every failure of messages, safety
// numbers, acceptIdentity and file transfers is an E2EError, the API's own failures `api_failed`
// with the SDK's error as the cause.
import { fromBase64, fromUtf8, hex, serverTime, toBase64Url, utf8, type Bytes } from './bytes.js';
import { as, E2EError } from './errors.js';
import { secretsOf, type Device } from './device.js';
import { envelopeKeyId } from './envelope.js';
import type { Attachment, FileSource, UploadOptions } from './files.js';
import type { IdentityContext } from './identity.js';
import { openMessage, sealMessage } from './message.js';
import { checkReplay } from './replay.js';
import type { SafetyNumber } from './safety.js';
import type { KeyStore } from './store.js';
import { checkPins, loadPins, verifyListing, type IdentityChange, type IdentityPolicy, type VerifiedDevice } from './trust.js';
import { checked } from './shape.js';
import { collect, MESSAGE, type BundleDevice, type E2EApi, type StoredMessage } from './api.js';
import { tagged, verify } from './keys.js';
import { TAG_ED25519 } from './suite.js';

export interface E2EClientOptions {
  /**
   * Where pins and replay records live.
   * @default the device's own key store
   * @example e2eClient(coveton, device, { store: indexedDbKeyStore({ database: 'coveton-pins' }) })
   */
  store?: KeyStore | undefined;
  /**
   * What to do when a pinned user's identity key changes or a device is added: go on and tell
   * `onWarning` ('warn'), or refuse to send or open until `acceptIdentity` ('block'). A function
   * decides each change and may return a Promise (awaited; meanwhile every pin and replay step on
   * the store waits). Fails closed: any answer but 'warn' (a typo, undefined, a throw) blocks.
   * @default 'warn'
   * @example e2eClient(coveton, device, { onIdentityChange: 'block' })
   */
  onIdentityChange?: IdentityPolicy | undefined;
  /**
   * Told of each change the policy let through ('warn').
   * @default a one-line `console.warn` naming the user, the device and the kind of change
   * @example e2eClient(coveton, device, { onWarning: (change) => audit.log('identity change', change) })
   */
  onWarning?: ((change: IdentityChange) => void) | undefined;
}

export interface SendInput {
  chatId: string;
  plaintext: string | Uint8Array;
  contentType: string;
  files?: Attachment[] | undefined;
  expiresAt?: string | undefined;
}

export interface Decrypted {
  plaintext: Uint8Array;
  /** The plaintext as UTF-8 text, or undefined if it is not valid UTF-8. */
  text: string | undefined;
  contentType: string;
  senderDeviceId: string;
  senderUserId: string;
  /** When the sender signed it (ms since 1970). */
  sentAt: number;
  /**
   * When the sender signed it to expire (ms since 1970), or null if it does not: the signed value,
   * which the server's `expiresAt` must match (else `decrypt_failed`). Past it, stop showing the
   * plaintext and delete any copy the app kept: the API deletes the stored message then, but
   * nothing takes back what a device already opened.
   * @example if (opened.expiresAt !== null) setTimeout(() => hide(opened), opened.expiresAt - Date.now());
   */
  expiresAt: number | null;
  files: Attachment[];
}

export interface E2EClient {
  messages: {
    /**
     * Seals `plaintext` to every active device of the chat (the sender's own included) and posts it.
     * Every failure is an E2EError; the API failing (listing devices, or the post) is `api_failed`,
     * the SDK's error (status, request id) its `cause`.
     */
    send(input: SendInput, options?: { idempotencyKey?: string | undefined }): Promise<StoredMessage>;
    /**
     * Opens a stored message with this device's keys; every failure is an E2EError. The device
     * listing failing (a 5xx, a 404, an answer that is not a listing) is `api_failed`, the SDK's
     * error its `cause`: retry later. Every other code is about the message itself.
     */
    decrypt(message: StoredMessage): Promise<Decrypted>;
  };
  files: {
    /** Encrypts as it reads (STREAM) and uploads; put the result in `messages.send({ files })`. The API failing is `api_failed`, the SDK's error its `cause`. */
    upload(source: FileSource, options: UploadOptions): Promise<Attachment>;
    /** Downloads and decrypts as it reads; a changed, cut or reordered segment errors the stream. The API refusing the download is `api_failed`, the SDK's error its `cause`. */
    download(attachment: Attachment): Promise<ReadableStream<Uint8Array>>;
  };
  /** The safety number between this user and `userId` (compare it in person or on a call). */
  safetyNumber(userId: string): Promise<SafetyNumber>;
  /**
   * Trusts `userId`'s devices as listed now (needed under 'block' after a change), once the two
   * people have compared `compared`, the safety number (or its digits) they saw. Pins only that
   * user's active devices, and only if they still make `compared`: a device added or swapped
   * since, or a listing with no active device, is refused (`identity_changed`, `bad_bundle`) and
   * the pins are left as they were. A removed device stays pinned only if an earlier accept
   * pinned it under the same key (what it sent before its pinned removal still opens); one pinned
   * only at first contact or under 'warn', or never pinned, authors nothing.
   * @example
   * const number = await secure.safetyNumber('usr_bob');
   * if (await userSaysItMatches(number.digits)) await secure.acceptIdentity('usr_bob', number);
   */
  acceptIdentity(userId: string, compared: SafetyNumber | string): Promise<void>;
}

const defaultWarning = (change: IdentityChange) =>
  console.warn(`coveton e2e: ${change.kind} for device ${change.deviceId} of ${change.userId}, let through by onIdentityChange 'warn'`);

export function createE2EClient(api: E2EApi, device: Device, store: KeyStore, options: E2EClientOptions = {}): E2EClient {
  const secret = secretsOf(device);
  const ownIdentity = tagged(TAG_ED25519, secret.record.identityRaw);
  const policy = options.onIdentityChange ?? 'warn';
  const warn = options.onWarning ?? defaultWarning;
  // Devices by id, with when they were listed: a listing answers for messages created before it.
  const known = new Map<string, { device: VerifiedDevice; listedAt: number }>();
  const me = () => {
    if (!device.id || !device.userId) throw new E2EError('not_registered', 'register first');
    return { deviceId: device.id, userId: device.userId };
  };
  // This device as a listing must show it, its pre-key no older than the newest it published: a
  // rolled-back own bundle would have the copy sent to this device sealed to a replaced key.
  const self = () => ({ ...me(), identityRaw: ownIdentity, keyId: secret.current().keyId });

  /** Verifies bundles, checks each user's pins, and remembers the devices by id. */
  async function admit(list: BundleDevice[]): Promise<VerifiedDevice[]> {
    const listedAt = Date.now();
    const verified = await verifyListing(list, self());
    // Each user's devices in turn, users in listing order. The caller's own other devices are
    // pinned and checked like anyone's: a device the server adds to this user would otherwise read everything sent.
    for (const userId of new Set(verified.map((d) => d.userId))) {
      await checkPins(store, userId, verified.filter((d) => d.userId === userId && d.id !== me().deviceId), policy, warn);
    }
    for (const d of verified) known.set(d.id, { device: d, listedAt });
    return verified;
  }

  // Safety numbers and acceptIdentity load on first use (identity.ts), as files do (files.ts).
  const files = () => as('chunk_load_failed', 'file encryption did not load', () => import('./files.js'));
  // A chunk that does not load is an E2EError; the next call asks for it again.
  const identity = async (): Promise<[typeof import('./identity.js'), IdentityContext]> => [
    await as('chunk_load_failed', 'safety numbers did not load', () => import('./identity.js')),
    { api, store, self: self(), admit },
  ];

  /** The sender device of `message`, whose server date is `created` (undefined: none, so listed again). */
  async function sender(message: StoredMessage, created: number | undefined): Promise<VerifiedDevice> {
    const cached = known.get(message.senderDeviceId);
    let found = cached?.device;
    // Pins are the store's, the cache this client's: another client on the store may have pinned
    // a removal since (held to its date), or an accept unpinned the device (listed again).
    if (found && found.id !== me().deviceId) {
      const pin = (await loadPins(store, found.userId)).get(found.id);
      if (pin?.key === hex(found.identityRaw)) found.removedAt = pin.removedAt ?? found.removedAt;
      else found = undefined;
    }
    // Listed again when unknown, or when the message is newer than the listing (a removal since).
    if (!found || found.userId !== message.senderId || !(created! < cached!.listedAt)) {
      const listed = await admit(await collect(() => api.devices.listForChat(message.chatId)));
      found = listed.find((d) => d.id === message.senderDeviceId);
    }
    if (!found || found.userId !== message.senderId) {
      throw new E2EError('unknown_sender', message.senderDeviceId);
    }
    return found;
  }

  return {
    messages: {
      async send(input: SendInput, callOptions: { idempotencyKey?: string | undefined } = {}): Promise<StoredMessage> {
        const self = me();
        const devices = (await admit(await collect(() => api.devices.listForChat(input.chatId)))).filter((d) => d.removedAt === null);
        const body = typeof input.plaintext === 'string' ? utf8(input.plaintext) : (input.plaintext as Bytes);
        // What the signature and the AEAD bind (message.ts Context), posted as they are.
        const context = { chatId: input.chatId, contentType: input.contentType, senderDeviceId: self.deviceId };
        const sealed = await sealMessage({
          ...context,
          sign: secret.sign,
          recipients: devices.map((d) => ({ deviceId: d.id, keyId: d.keyId, publicKey: d.preKey })),
          inner: {
            body,
            sentAt: Date.now(),
            recipients: [],
            files: input.files ?? [],
            ...(input.expiresAt ? { expiresAt: Date.parse(input.expiresAt) } : {}),
          },
        });
        const post = {
          ...context,
          ciphertext: toBase64Url(sealed.ciphertext),
          envelopes: sealed.envelopes.map((e) => ({ deviceId: e.deviceId, header: toBase64Url(e.header) })),
          ...(input.files?.length ? { fileIds: input.files.map((f) => f.fileId) } : {}),
          ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        };
        // As a listing's (api.ts collect): the API failing is api_failed, its error the cause.
        return as('api_failed', 'posting the message', () => api.messages.send(post, callOptions));
      },

      async decrypt(stored: StoredMessage): Promise<Decrypted> {
        const self = me();
        const message = checked<StoredMessage>(stored, MESSAGE, 'message');
        const envelope = message.envelopes.find((e) => e.deviceId === self.deviceId);
        if (!envelope) throw new E2EError('not_for_this_device', 'no envelope');
        const header = fromBase64(envelope.header, 'envelope header');
        const preKey = await secret.preKey(envelopeKeyId(header));
        if (!preKey) throw new E2EError('not_for_this_device', 'pre-key');
        const createdAt = message.createdAt === undefined ? undefined : serverTime(message.createdAt, `createdAt of ${message.id}`);
        const from = await sender(message, createdAt);
        const opened = await openMessage({
          ...message, // its chatId, contentType and senderDeviceId (message.ts Context)
          ciphertext: fromBase64(message.ciphertext, 'ciphertext'),
          header,
          deviceId: self.deviceId,
          preKey,
          verify: (signature, data) => verify(from.identity, signature, data),
        });
        const { inner } = opened;
        // The server's expiry is not signed: one that moves, drops or adds the signed one is refused.
        const what = `expiresAt of ${message.id}`;
        const expiresAt = message.expiresAt == null ? null : serverTime(message.expiresAt, what);
        if (expiresAt !== (inner.expiresAt ?? null)) throw new E2EError('decrypt_failed', what);
        // createdAt is not checked against the signed sentAt: a sender's clock may run ahead of the
        // server's by any amount, and a check refused its honest messages for good, unseen by the
        // sender; replays are refused by the record (replay.ts: the first id a body opened under owns it).
        if (from.removedAt !== null && Math.max(inner.sentAt, createdAt ?? inner.sentAt) > from.removedAt) {
          throw new E2EError('device_removed', from.id);
        }
        await checkReplay(store, message.senderDeviceId, opened.msgId, { id: message.id, sentAt: inner.sentAt });
        let text: string | undefined;
        try {
          text = fromUtf8(inner.body);
        } catch {
          // not UTF-8: text stays undefined
        }
        return {
          plaintext: inner.body,
          text,
          contentType: message.contentType,
          senderDeviceId: message.senderDeviceId,
          senderUserId: message.senderId,
          sentAt: inner.sentAt,
          expiresAt,
          files: inner.files,
        };
      },
    },

    files: {
      upload: async (source, options) => (await files()).upload(api, source, options),
      download: async (attachment) => (await files()).download(api, attachment),
    },

    async safetyNumber(userId) {
      const [m, ctx] = await identity();
      return m.safetyNumberWith(ctx, userId);
    },

    async acceptIdentity(userId, compared) {
      const [m, ctx] = await identity();
      await m.acceptIdentity(ctx, userId, compared);
      // A device the accept unpinned is listed again, and refused, before it authors anything.
      known.clear();
    },
  };
}
