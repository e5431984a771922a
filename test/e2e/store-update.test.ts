// KeyStore.update is called only on a store that sets updatesInOneStep: an app store written for
// get/set/delete whose own `update(name, value)` means "set" (a key-value or ORM wrapper) was given
// the change function as the device record, and a rotation published keyId 0 with no private half
// anywhere (hostile review, H1).
import { describe, expect, it } from 'vitest';
import { E2EError, loadOrCreateDevice, type KeyStore } from '../../src/e2e/index.js';
import { fakeWorld } from './fake-api.js';

const RECORD = 'coveton-e2e/device';

/** A store over `values` whose `update(name, value)` is `edit` (by default: set, as a key-value wrapper's). */
function kvStore(values: Map<string, unknown>, edit?: (name: string, value: unknown) => Promise<void>) {
  const calls: string[] = [];
  const store = {
    get: async (name: string) => structuredClone(values.get(name)),
    set: async (name: string, value: unknown) => void values.set(name, structuredClone(value)),
    delete: async (name: string) => void values.delete(name),
    update: async (name: string, value: unknown) => {
      calls.push(name);
      await (edit ?? (async (n, v) => void values.set(n, v)))(name, value);
    },
  };
  return { store, calls };
}

describe('KeyStore.update', () => {
  it("an app store's own update(name, value) (no updatesInOneStep) is never called: the rotation reads and sets, keyId 2, and the device loads again", async () => {
    const values = new Map<string, unknown>();
    const { store, calls } = kvStore(values);
    const world = fakeWorld();
    const device = await loadOrCreateDevice({ store: store as KeyStore, name: 'bob', platform: 'web' });
    await device.register(world.as('usr_bob'));
    expect((await device.rotateSignedPreKey(world.as('usr_bob'))).keyId).toBe(2);
    expect(world.devices[0]!.signedPreKey.keyId).toBe(2);
    expect(calls).toEqual([]);
    expect(typeof values.get(RECORD)).toBe('object');
    const again = await loadOrCreateDevice({ store: store as KeyStore, name: 'bob', platform: 'web' });
    expect(again.identityKey).toBe(device.identityKey);
    expect(again.id).toBe(device.id);
  });
});
