// The bundles of other devices: fetched from the API, each signed pre-key verified under its
// identity key, and each user's identities pinned on first use (TOFU). A later change (a device's
// key replaced, or a device added to a user already pinned) goes to the `onIdentityChange` policy.
import { concat, equal, fromBase64, hex, serverTime, u32, utf8, type Bytes } from './bytes.js';
import { as, E2EError } from './errors.js';
import { importIdentity, importPreKey, untag, verify } from './keys.js';
import { inTurn, read, write, type KeyStore } from './store.js';
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

/**
 * 'warn', 'block', or a function deciding each change, awaited if it returns a Promise. Anything
 * but 'warn' blocks (a typo, undefined, a policy that throws).
 */
export type IdentityPolicy = 'warn' | 'block' | ((change: IdentityChange) => 'warn' | 'block' | Promise<'warn' | 'block'>);

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
    removedAt: device.removedAt == null ? null : serverTime(device.removedAt, `removedAt of ${device.id}`),
  };
}

/** This device as a listing must show it: its id, its user, its tagged identity key, and a signed pre-key id at least `keyId`. */
export interface Self {
  deviceId: string;
  userId: string;
  identityRaw: Bytes;
  keyId: number;
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
    if (d.id === self.deviceId) {
      if (d.userId !== self.userId || !equal(d.identityRaw, self.identityRaw)) throw new E2EError('identity_changed', `key_changed: ${self.deviceId} of ${d.userId} (this device)`);
      rolledBack(d, self.keyId);
    }
  }
  return verified;
}

/** Refuses `d` if its signed pre-key id is below `seen`, the highest this device knows for it. */
const rolledBack = (d: VerifiedDevice, seen: number) => {
  if (d.keyId < seen) throw new E2EError('bad_bundle', `signed pre-key ${d.keyId} of ${d.id}, older than ${seen}`);
};

export const pinName = (userId: string) => `coveton-e2e/pins/${userId}`;
/**
 * A pinned device: its tagged identity key (hex); its removal: null while active, else the
 * removedAt of the first listing that showed it removed (by this device's clock), which later
 * listings move only earlier (Infinity: removed, not dated yet, a pin stored before pins kept
 * dates, until the next listing of it); whether acceptIdentity pinned it, so its key was in a
 * safety number the two people compared; and the highest signed pre-key id listed under this key
 * (0: none yet, a pin of an earlier release).
 */
export interface Pin {
  key: string;
  removedAt: number | null;
  compared: boolean;
  keyId: number;
}
/**
 * Stored as entries, [deviceId, key, removedAt, compared, keyId], so no device id is ever read as a
 * property name. removedAt is false while active, and true for Infinity: the form stored before
 * pins kept dates and this flag (read as not compared). The first form, an object of device id to
 * key, is read as active pins, never compared: read as none, it made the next listing first use.
 */
type StoredPins = [string, string, (number | boolean)?, boolean?, number?][];

// A record the store gives back damaged (a bad migration, a half-written Keychain item) that
// fails to read is key_store_invalid naming it, as the guide promises, never a bare TypeError.
export const loadPins = (store: KeyStore, userId: string): Promise<Map<string, Pin>> =>
  as('key_store_invalid', pinName(userId), async () => {
    const stored = await read(store, pinName(userId));
    const rows: StoredPins = Array.isArray(stored) ? stored : Object.entries(stored ?? {});
    return new Map(
      rows.map(([id, key, at, compared, keyId]) => [id, { key, removedAt: typeof at === 'number' ? at : at === true ? Infinity : null, compared: compared === true, keyId: keyId ?? 0 }]),
    );
  });

// A check that read a user's pins before an accept saved them would otherwise save after it, and
// put back a device the accept dropped: every read-change-write of pins takes its turn (inTurn).
/** Runs `step` on `userId`'s pins as read once every earlier step on this store has ended. */
export const updatePins = <T>(store: KeyStore, userId: string, step: (pins: Map<string, Pin>) => Promise<T>): Promise<T> =>
  inTurn(store, async () => step(await loadPins(store, userId)));

/** Replaces a user's pins in one write. */
export const savePins = (store: KeyStore, userId: string, pins: Map<string, Pin>) =>
  write(
    store,
    pinName(userId),
    [...pins].map(([id, p]): StoredPins[number] => [id, p.key, p.removedAt === Infinity || (p.removedAt ?? false), p.compared, p.keyId]),
  );

/**
 * Removed for trust: a removal dated after this device's clock is none yet, so a device pinned
 * active stays in safety numbers while it may still sign. (Nothing is sealed to it either way.)
 */
export const removedNow = (d: VerifiedDevice) => d.removedAt !== null && d.removedAt <= Date.now();

/**
 * A listed device as this device trusts it, given its pin: sets `d.removedAt` to the removal
 * its messages are held to, and returns the pin to keep (undefined: none). The server dates both
 * a removal and the messages, so a date it gave once stands: re-dated later (after each message
 * it forges) it would let a removed key write as the user for ever.
 * - Pinned under this key and removed: the pinned date, moved only earlier. Listed active again
 *   (or removed in the future), it stays removed: a removed device never comes back, and nothing
 *   is sealed to it.
 * - Pinned active under this key, listed removed: that date, pinned from now on.
 * - Not pinned under this key, listed removed: no safety number showed it, so no pin, and dated
 *   removed before all time: nothing it signed opens (device_removed).
 * - Otherwise active: pinned active, a change if the pin was not that.
 * A pin under another key (or none) was never compared.
 * Under the pinned key, a signed pre-key id below the pinned one is `bad_bundle`: a device's ids
 * only grow (device.ts rotateSignedPreKey), so it is a bundle the device replaced, validly signed
 * still, that the server lists again (perhaps because that key leaked: a review had a sender seal
 * to it silently). A new key starts its own count.
 */
export function settle(pin: Pin | undefined, d: VerifiedDevice): Pin | undefined {
  const key = hex(d.identityRaw);
  const same = pin?.key === key;
  if (same) rolledBack(d, pin.keyId);
  let at = removedNow(d) ? d.removedAt : null;
  if (same && pin.removedAt !== null) at = Math.min(pin.removedAt, at ?? Date.now());
  else if (at !== null && !same) return void (d.removedAt = -Infinity);
  if (at !== null) d.removedAt = at;
  return { key, removedAt: at, compared: same && pin.compared, keyId: d.keyId };
}

/** Compares a user's devices with their pins; pins what is new unless the policy blocks it. */
export function checkPins(
  store: KeyStore,
  userId: string,
  devices: VerifiedDevice[],
  policy: IdentityPolicy,
  notify: (change: IdentityChange) => void,
): Promise<void> {
  return updatePins(store, userId, async (pins) => {
    const firstUse = pins.size === 0;
    let changed = false;
    for (const d of devices) {
      const pinned = pins.get(d.id);
      const pin = settle(pinned, d);
      if (!pin || (pin.key === pinned?.key && pin.removedAt === pinned.removedAt && pin.keyId === pinned.keyId)) continue;
      // A new device or a new key (a removal newly dated takes nothing away from a safety number's check).
      if (!firstUse && pin.key !== pinned?.key) {
        const change: IdentityChange = { userId, deviceId: d.id, kind: pinned ? 'key_changed' : 'device_added' };
        // Say what to do next: the block lifts only when the users have compared numbers.
        const what = `${change.kind}: ${d.id} of ${userId}; compare safetyNumber(userId) out of band, then acceptIdentity`;
        // Fails closed: only 'warn' lets a change through. Before, anything but 'block' did, an
        // async policy's Promise and a JavaScript caller's 'BLOCK' included (a review); a policy
        // that throws blocks too, its error the cause. Awaited inside the pin step, so every store
        // step behind it waits while a policy asks its user.
        if ((await as('identity_changed', what, async () => (typeof policy === 'function' ? policy(change) : policy))) !== 'warn') {
          throw new E2EError('identity_changed', what);
        }
        notify(change);
      }
      pins.set(d.id, pin);
      changed = true;
    }
    if (changed) await savePins(store, userId, pins);
  });
}
