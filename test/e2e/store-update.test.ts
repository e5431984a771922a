// KeyStore.update is called only on a store that sets updatesInOneStep: an app store written for
// get/set/delete whose own `update(name, value)` means "set" (a key-value or ORM wrapper) was given
// the change function as the device record, and a rotation published keyId 0 with no private half
// anywhere (hostile review, H1). A rotation reads its pending key back from the store before it
// publishes it, so a store that says it updates in one step but drops the write publishes nothing.
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

  /** Bob registered on a store that says updatesInOneStep and whose update is `edit`; his listed keyId, and the stored record's. */
  async function oneStepStore(edit: (values: Map<string, unknown>) => (name: string, value: unknown) => Promise<void>) {
    const values = new Map<string, unknown>();
    const { store, calls } = kvStore(values, edit(values));
    const world = fakeWorld();
    const device = await loadOrCreateDevice({ store: { ...store, updatesInOneStep: true } as KeyStore, name: 'bob', platform: 'web' });
    await device.register(world.as('usr_bob'));
    calls.length = 0;
    const stored = () => (values.get(RECORD) as { preKeys: { keyId: number }[] }).preKeys.map((k) => k.keyId);
    return { world, device, calls, stored, listed: () => world.devices[0]!.signedPreKey.keyId };
  }

  it('a store that says updatesInOneStep but writes back what it read, not what the change returned: key_store_invalid, nothing published', async () => {
    const { world, device, calls, stored, listed } = await oneStepStore((values) => async (name, change) => {
      const now = values.get(name);
      await (change as (v: unknown) => Promise<unknown>)(structuredClone(now));
      values.set(name, now);
    });
    await expect(device.rotateSignedPreKey(world.as('usr_bob'))).rejects.toEqual(new E2EError('key_store_invalid', RECORD));
    expect(calls).toEqual([RECORD]);
    expect(listed()).toBe(1);
    expect(stored()).toEqual([1]);
  });

  it('a store that says updatesInOneStep but never calls the change (the keyId would be 0): key_store_invalid, nothing published', async () => {
    const { world, device, calls, stored, listed } = await oneStepStore(() => async () => {});
    await expect(device.rotateSignedPreKey(world.as('usr_bob'))).rejects.toEqual(new E2EError('key_store_invalid', RECORD));
    expect(calls).toEqual([RECORD]);
    expect(listed()).toBe(1);
    expect(stored()).toEqual([1]);
  });
});
