// The bundles of other devices: fetched from the API, each signed pre-key verified under its
// identity key, and each user's identities pinned on first use (TOFU). A later change (a device's
// key replaced, or a device added to a user already pinned) goes to the `onIdentityChange` policy.
import { concat, fromBase64, u32, utf8, type Bytes } from './bytes.js';
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

export async function verifyBundle(device: BundleDevice): Promise<VerifiedDevice> {
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
    removedAt: device.removedAt ? Date.parse(device.removedAt) : null,
  };
}

const pinName = (userId: string) => `coveton-e2e/pins/${userId}`;
type Pins = Record<string, string>;

/** Compares a user's devices with their pins; pins what is new unless the policy blocks it. */
export async function checkPins(
  store: KeyStore,
  userId: string,
  devices: VerifiedDevice[],
  policy: IdentityPolicy,
  notify: (change: IdentityChange) => void,
): Promise<void> {
  const pins = ((await store.get(pinName(userId))) as Pins | undefined) ?? {};
  const firstUse = Object.keys(pins).length === 0;
  const next: Pins = { ...pins };
  for (const d of devices) {
    const key = Array.from(d.identityRaw, (b) => b.toString(16).padStart(2, '0')).join('');
    if (pins[d.id] === key) continue;
    if (!firstUse) {
      const change: IdentityChange = { userId, deviceId: d.id, kind: pins[d.id] === undefined ? 'device_added' : 'key_changed' };
      const decision = typeof policy === 'function' ? policy(change) : policy;
      if (decision === 'block') throw new E2EError('identity_changed', `${change.kind}: ${d.id} of ${userId}`);
      notify(change);
    }
    next[d.id] = key;
  }
  await store.set(pinName(userId), next);
}

/** Trusts a user's current devices as they are (after checking the safety number out of band). */
export async function acceptDevices(store: KeyStore, userId: string, devices: VerifiedDevice[]): Promise<void> {
  await store.delete(pinName(userId));
  await checkPins(store, userId, devices, 'warn', () => {});
}
