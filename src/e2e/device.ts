// This device: its keys (created once, then loaded from the store), its registration with the
// API (public keys only) and the rotation of its signed pre-key. The private keys stay inside a
// module-private map: nothing on the Device object reaches them.
import { concat, equal, toBase64, u32, utf8, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';
import { encodeIdentity, generateIdentity, generatePreKey, rawPublic, sign, tagged } from './keys.js';
import { checkStore, read, update, write, type KeyStore } from './store.js';
import { checked } from './shape.js';
import { LABEL, TAG_X25519 } from './suite.js';
import type { DeviceApi } from './api.js';
import type { Coveton } from '@coveton/sdk';

export type Platform = 'ios' | 'android' | 'web' | 'desktop' | 'server';

export interface PreKeyRecord {
  keyId: number;
  pair: CryptoKeyPair;
  raw: Bytes;
  createdAt: number;
  /** When a newer key replaced it; kept for the grace window after that, then deleted. */
  replacedAt?: number;
  /** Saved, not yet known to be published: it opens envelopes but is not yet the current key. */
  pending?: true;
}

interface DeviceRecord {
  format: 1;
  name: string;
  platform: Platform;
  identity: CryptoKeyPair;
  identityRaw: Bytes;
  preKeys: PreKeyRecord[];
  deviceId?: string;
  userId?: string;
}

export interface SignedPreKey {
  keyId: number;
  publicKey: string;
  signature: string;
}

export interface Device {
  /** The API's id for this device, once registered. */
  readonly id: string | undefined;
  readonly userId: string | undefined;
  readonly name: string;
  /** The public identity key as the bundle carries it (0xED ‖ 32 bytes, base64). */
  readonly identityKey: string;
  /** Publishes the public keys (POST /devices) and keeps the id the API gives; once per device. */
  register(coveton: Coveton): Promise<{ id: string; userId: string }>;
  /**
   * A new signed pre-key (a higher keyId); older ones are kept `keepMs` (default 30 days) to open
   * envelopes sealed before the rotation reached their senders.
   * @example await device.rotateSignedPreKey(coveton, { keepMs: 7 * 24 * 3600_000 })
   */
  rotateSignedPreKey(coveton: Coveton, options?: { keepMs?: number; now?: number }): Promise<SignedPreKey>;
}

export interface DeviceSecrets {
  record: DeviceRecord;
  store: KeyStore;
  sign(data: Bytes): Promise<Bytes>;
  /** The pre-key `keyId`, read again from the store when it is newer than any this object holds. */
  preKey(keyId: number): Promise<CryptoKeyPair | undefined>;
  /** The newest pre-key this device has published (pending ones left out). */
  current(): PreKeyRecord;
}

const secrets = new WeakMap<Device, DeviceSecrets>();
/** The private side of a device, for the e2e client only (not exported from the entry). */
export function secretsOf(device: Device): DeviceSecrets {
  const found = secrets.get(device);
  if (!found) throw new E2EError('not_registered', 'unknown device');
  return found;
}

const RECORD = 'coveton-e2e/device';
// What the device uses without a check of its own ({} is any object): a pre-key's pair goes to
// the envelope's open, whose every failure is decrypt_failed.
const SHAPE = { identity: { privateKey: {} }, identityRaw: {}, preKeys: [{ keyId: 'uint32', pair: {}, raw: {} }] } as const;

/**
 * The device record a store gave, or E2EError key_store_invalid naming its first damaged field
 * (not a TypeError later), or `.preKeys` when none of its pre-keys is published: an empty list (a
 * hand-edited file, a bad migration) failed as a bare TypeError in the first register, rotation or
 * decrypt, whose newest-key step has nothing to pick from.
 */
function valid(value: unknown): DeviceRecord {
  const record = checked<DeviceRecord>(value, SHAPE, RECORD, 'key_store_invalid');
  if (record.preKeys.every((k) => k.pending)) throw new E2EError('key_store_invalid', RECORD + '.preKeys');
  return record;
}

export async function signPreKey(identity: CryptoKey, keyId: number, raw: Uint8Array): Promise<SignedPreKey> {
  const publicKey = tagged(TAG_X25519, raw);
  const signature = await sign(identity, concat(utf8(LABEL.spk), u32(keyId), publicKey));
  return { keyId, publicKey: toBase64(publicKey), signature: toBase64(signature) };
}

async function newPreKey(keyId: number, now: number, store: KeyStore): Promise<PreKeyRecord> {
  const pair = await generatePreKey(store);
  return { keyId, pair, raw: await rawPublic(pair.publicKey), createdAt: now };
}

export interface LoadOptions {
  store: KeyStore;
  name: string;
  platform: Platform;
}

/**
 * Loads this device's keys from `store`, or creates them (non-extractable unless the store writes bytes) on first use.
 * @throws E2EError `malformed` when `store` is not a KeyStore (no `get`, `set` or `delete` function), before it is asked anything.
 */
export async function loadOrCreateDevice(options: LoadOptions): Promise<Device> {
  const store = checkStore(options.store);
  let record = await read(store, RECORD);
  if (record) record = valid(record);
  else {
    const identity = await generateIdentity(store);
    record = {
      format: 1,
      name: options.name,
      platform: options.platform,
      identity,
      identityRaw: await rawPublic(identity.publicKey),
      preKeys: [await newPreKey(1, Date.now(), store)],
    };
    await write(store, RECORD, record);
  }
  return deviceFromRecord(record as DeviceRecord, store);
}

/** A device over an existing record (also used by the test vectors' fixed keys). */
export function deviceFromRecord(record: DeviceRecord, store: KeyStore): Device {
  const newest = (keys: PreKeyRecord[]) => keys.reduce((a, b) => (b.keyId > a.keyId ? b : a));
  const current = () => newest(record.preKeys.filter((k) => !k.pending));
  /** Registered with the API, but the record holding its id not yet saved. */
  let unsaved = false;
  // Another tab or process on this store may have rotated since this object read the record
  // (zero-knowledge.md): the pre-keys are read again from the store before a rotation allocates a
  // keyId or saves, and when an envelope names a newer key. A store holds one device: a record
  // gone or damaged is key_store_invalid, and so is one of another identity (the store reset and a
  // new device made there by another tab or process): its pre-keys are never taken with this
  // device's identity and id, which would lose the private half of the key this one published.
  const mine = (value: unknown) => {
    const stored = valid(value);
    if (!equal(stored.identityRaw, record.identityRaw)) throw new E2EError('key_store_invalid', RECORD + '.identityRaw');
    return stored.preKeys;
  };
  const reload = async () => (record.preKeys = mine(await read(store, RECORD)));
  // One change of the stored record's pre-keys, as one step (store.ts update) on the record as
  // stored now, this object's fields (its id) with them. This object holds the keys as read (a
  // save that fails leaves no unsaved key in memory).
  const change = (keys: (stored: PreKeyRecord[]) => PreKeyRecord[]) =>
    update(store, RECORD, async (value) => ({ ...record, preKeys: keys((record.preKeys = mine(value))) }));
  const device: Device = {
    get id() {
      return record.deviceId;
    },
    get userId() {
      return record.userId;
    },
    name: record.name,
    identityKey: encodeIdentity(record.identityRaw),
    async register(coveton) {
      if (!record.deviceId || !record.userId) {
        const spk = current();
        // The private halves are in the store before their public halves are published.
        await write(store, RECORD, record);
        const created = await (coveton as unknown as DeviceApi).devices.register({
          name: record.name,
          platform: record.platform,
          identityKey: device.identityKey,
          signedPreKey: await signPreKey(record.identity.privateKey, spk.keyId, spk.raw),
        });
        record.deviceId = created.id;
        record.userId = created.userId;
        unsaved = true;
      }
      // Registered, but the id not yet in the store (or its save failed on an earlier call): saved
      // now, or a restart would load a device without its id. Never posted again. Saved into the
      // record as stored, in one step (store.ts update), not this object's copy written whole:
      // another process may have rotated a key in since this one read it (once a rotation of this
      // object's carried the id there), and the copy would drop it, its published private half included.
      if (unsaved) await change((keys) => keys), (unsaved = false);
      return { id: record.deviceId, userId: record.userId };
    },
    async rotateSignedPreKey(coveton, options = {}) {
      if (!record.deviceId) throw new E2EError('not_registered', 'register first');
      const now = options.now ?? Date.now();
      const keep = options.keepMs ?? 30 * 24 * 3600_000;
      const next = await newPreKey(0, now, store);
      // Each change of the record is one step (store.ts update) on the pre-keys as stored now:
      // another tab or process may rotate at the same time, and two rotations that each changed
      // their own earlier read took one keyId twice, or the later save dropped the other's key,
      // its published private half included (zero-knowledge.md).
      // Saved as pending before it is published, so no published pre-key lacks its private half
      // (a crash after publishing leaves a pending key that still opens what is sealed to it).
      // Its keyId is above every stored one, in the step that saves it: senders refuse a lower
      // one, and an equal one would replace another tab's published key (the API refuses a keyId
      // not above the one it lists, so of two overlapping rotations the lower publish fails).
      await change((keys) => [...keys, { ...next, keyId: (next.keyId = newest(keys).keyId + 1), pending: true }]);
      // Nothing is published that is not in the store: the record is read back and must hold the
      // new key (its public half, fresh random, names it) under the keyId the step took. A store
      // that says it updates in one step but dropped the write (never ran the change, or wrote
      // something else) would have this object publish a key with no private half anywhere.
      if (!(await reload()).some((k) => k.keyId === next.keyId && equal(k.raw, next.raw))) throw new E2EError('key_store_invalid', RECORD);
      const signed = await signPreKey(record.identity.privateKey, next.keyId, next.raw);
      await (coveton as unknown as DeviceApi).devices.rotateSignedPreKey(record.deviceId, signed);
      // Older keys stay for the grace window after they were replaced, then go (coarse forward
      // secrecy); the pending copy of this one is replaced by it. A newer key (a rotation that
      // overlapped this one and ended first, which the API now lists) is not replaced by it; this
      // one then counts as replaced from the next rotation on.
      await change((keys) => (record.preKeys = [...keys.filter((k) => k.keyId > next.keyId || (k.keyId < next.keyId && now - (k.replacedAt ??= now) < keep)), next]));
      return signed;
    },
  };
  secrets.set(device, {
    record,
    store,
    current,
    sign: (data) => sign(record.identity.privateKey, data),
    async preKey(keyId) {
      // Read again once, and only for a key newer than this object's: an older one it lacks was deleted.
      if (keyId > newest(record.preKeys).keyId) await reload();
      return record.preKeys.find((k) => k.keyId === keyId)?.pair;
    },
  });
  return device;
}

export type { DeviceRecord };
