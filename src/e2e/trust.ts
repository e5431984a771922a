// The bundles of other devices: fetched from the API, each signed pre-key verified under its
// identity key, and each user's identities pinned on first use (TOFU). A later change (a device's
// key replaced, or a device added to a user already pinned) goes to the `onIdentityChange` policy.
import { concat, equal, fromBase64, hex, serverTime, u32, utf8, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';
import { importIdentity, importPreKey, untag, verify } from './keys.js';
import type { KeyStore } from './store.js';
import { LABEL, TAG_ED25519, TAG_X25519 } from './suite.js';
import type { BundleDevice } from './api.js';

export interface VerifiedDevice {
  id: string;
  userId: string;
  /** Tagged 33-byte identity key. */
  identityRaw: Bytes;
  identity: CryptoKey;
  keyId: number;
  preKey: CryptoKey;
  /** ms since 1970, or null while the device is active. */
  removedAt: number | null;
}

export interface IdentityChange {
  userId: string;
  deviceId: string;
  kind: 'key_changed' | 'device_added';
}

export type IdentityPolicy = 'warn' | 'block' | ((change: IdentityChange) => 'warn' | 'block');

// The API's id patterns (spec/components/schemas/Device.yaml): ids become pin and store names.
const DEVICE_ID = /^dev_[A-Za-z0-9]+$/;
const USER_ID = /^usr_[A-Za-z0-9]+$/;

export async function verifyBundle(device: BundleDevice): Promise<VerifiedDevice> {
  // Types were checked as the listing was read (api.ts collect): here, the API's patterns.
  if (!DEVICE_ID.test(device.id)) throw new E2EError('bad_bundle', `device id ${JSON.stringify(device.id.slice(0, 64))}`);
  if (!USER_ID.test(device.userId)) throw new E2EError('bad_bundle', `user id of ${device.id}`);
  const identityRaw = untag(device.identityKey, TAG_ED25519, `identityKey of ${device.id}`);
  const preKeyRaw = untag(device.signedPreKey.publicKey, TAG_X25519, `signedPreKey of ${device.id}`);
  const identity = await importIdentity(identityRaw.subarray(1));
  const signature = fromBase64(device.signedPreKey.signature, `signature of ${device.id}`);
  const signed = concat(utf8(LABEL.spk), u32(device.signedPreKey.keyId), preKeyRaw);
  if (signature.length !== 64 || !(await verify(identity, signature, signed))) {
    throw new E2EError('bad_bundle', device.id);
  }
  return {
    id: device.id,
    userId: device.userId,
    identityRaw,
    identity,
    keyId: device.signedPreKey.keyId,
    preKey: await importPreKey(preKeyRaw.subarray(1)),
    removedAt: device.removedAt === null || device.removedAt === undefined ? null : serverTime(device.removedAt, `removedAt of ${device.id}`),
  };
}

/** This device as a listing must show it: its id, its user and its tagged identity key. */
export interface Self {
  deviceId: string;
  userId: string;
  identityRaw: Bytes;
}

/**
 * Verifies a listing as a whole, whatever the policy: a device id listed twice (one id, two keys
 * to seal to) refuses it before any bundle is verified, and so does this device's id under
 * another user or identity key. Nothing is sealed to, or pinned from, a refused listing.
 */
export async function verifyListing(list: BundleDevice[], self: Self): Promise<VerifiedDevice[]> {
  if (new Set(list.map((d) => d.id)).size !== list.length) throw new E2EError('bad_bundle', 'a device id listed twice');
  const verified = await Promise.all(list.map(verifyBundle));
  for (const d of verified) {
    if (d.id === self.deviceId && (d.userId !== self.userId || !equal(d.identityRaw, self.identityRaw))) {
      throw new E2EError('identity_changed', `key_changed: ${self.deviceId} of ${d.userId} (this device)`);
    }
  }
  return verified;
}

export const pinName = (userId: string) => `coveton-e2e/pins/${userId}`;
/** A pinned device: its tagged identity key (hex), and whether a listing showed it removed. */
interface Pin {
  key: string;
  removed: boolean;
}
/** Stored as entries, [deviceId, key, removed], so no device id is ever read as a property name. */
type StoredPins = [string, string, boolean][];

export async function loadPins(store: KeyStore, userId: string): Promise<Map<string, Pin>> {
  const stored = await store.get(pinName(userId));
  return new Map(Array.isArray(stored) ? (stored as StoredPins).map(([id, key, removed]) => [id, { key, removed: removed === true }]) : []);
}

const savePins = (store: KeyStore, userId: string, pins: Map<string, Pin>) =>
  store.set(pinName(userId), [...pins].map(([id, p]): StoredPins[number] => [id, p.key, p.removed]));

/**
 * Removed for trust: a removal dated after this device's clock is none yet, so a device pinned
 * active stays in safety numbers while it may still sign. (Nothing is sealed to it either way.)
 */
export const removedNow = (d: VerifiedDevice) => d.removedAt !== null && d.removedAt <= Date.now();

/** Replaces a user's pins with `devices` in one write (what acceptIdentity trusts). */
export const replacePins = (store: KeyStore, userId: string, devices: VerifiedDevice[]) =>
  savePins(store, userId, new Map(devices.map((d) => [d.id, { key: hex(d.identityRaw), removed: removedNow(d) }])));

/** Compares a user's devices with their pins; pins what is new unless the policy blocks it. */
export async function checkPins(
  store: KeyStore,
  userId: string,
  devices: VerifiedDevice[],
  policy: IdentityPolicy,
  notify: (change: IdentityChange) => void,
): Promise<void> {
  const pins = await loadPins(store, userId);
  const firstUse = pins.size === 0;
  let changed = false;
  for (const d of devices) {
    const key = hex(d.identityRaw);
    const removed = removedNow(d);
    const pinned = pins.get(d.id);
    if (pinned?.key === key && (removed || !pinned.removed)) {
      // Unchanged, or newly listed as removed (which takes nothing away from a safety number's check).
      if (removed && !pinned.removed) (pins.set(d.id, { key, removed }), (changed = true));
      continue;
    }
    // Removed, and never pinned under this key while active, so no safety number showed it: the
    // server sets both its removedAt and the dates of what it signed. Not pinned, and dated
    // removed before all time, so nothing it signed opens (device_removed).
    if (removed) {
      d.removedAt = -Infinity;
      continue;
    }
    // A new device, a new key, or a device shown removed before and listed active again.
    if (!firstUse) {
      const change: IdentityChange = { userId, deviceId: d.id, kind: pinned && pinned.key !== key ? 'key_changed' : 'device_added' };
      const decision = typeof policy === 'function' ? policy(change) : policy;
      if (decision === 'block') {
        // Say what to do next: the block lifts only when the users have compared numbers.
        throw new E2EError('identity_changed', `${change.kind}: ${d.id} of ${userId}; compare safetyNumber(userId) out of band, then acceptIdentity`);
      }
      notify(change);
    }
    pins.set(d.id, { key, removed });
    changed = true;
  }
  if (changed) await savePins(store, userId, pins);
}
