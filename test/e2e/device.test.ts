// Registration and pre-key rotation against a store that fails or a process that stops between
// steps: no public pre-key is ever published whose private half is not already in the store.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { secretsOf } from '../../src/e2e/device.js';
import { E2EError, loadOrCreateDevice, type KeyStore } from '../../src/e2e/index.js';
import { fakeWorld } from './fake-api.js';

/** A store that keeps copies (as a disk would) and refuses writes while `failing` says so. */
function diskLike(failing: () => boolean): KeyStore {
  const values = new Map<string, unknown>();
  return {
    get: async (name) => structuredClone(values.get(name)),
    set: async (name, value) => {
      if (failing()) throw new E2EError('key_store_failed', 'disk full');
      values.set(name, structuredClone(value));
    },
    delete: async (name) => void values.delete(name),
  };
}

async function registered(failing: () => boolean) {
  const world = fakeWorld();
  const store = diskLike(failing);
  const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
  return { world, store, device };
}

describe('pre-key publication order', () => {
  it('a rotation whose save fails publishes nothing and leaves the current key as it was', async () => {
    let fail = false;
    const { world, device } = await registered(() => fail);
    await device.register(world.as('usr_ada'));
    fail = true;
    await expect(device.rotateSignedPreKey(world.as('usr_ada'))).rejects.toMatchObject({ code: 'key_store_failed' });
    expect(world.devices[0]!.signedPreKey.keyId).toBe(1);
    fail = false;
    expect((await device.rotateSignedPreKey(world.as('usr_ada'))).keyId).toBe(2);
  });

  it('a process stopped after publishing, before the last save: the reloaded device holds the published key and opens with it', async () => {
    let published = false;
    const { world, store, device } = await registered(() => published);
    await device.register(world.as('usr_ada'));
    const api = world.as('usr_ada');
    const stopping = { ...api, devices: { ...api.devices, rotateSignedPreKey: async (id: string, body: Parameters<typeof api.devices.rotateSignedPreKey>[1]) => ((published = true), api.devices.rotateSignedPreKey(id, body)) } };
    await expect(device.rotateSignedPreKey(stopping as typeof api)).rejects.toMatchObject({ code: 'key_store_failed' });
    const listed = world.devices[0]!.signedPreKey.keyId;
    expect(listed).toBe(2);
    published = false;
    const again = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
    expect(secretsOf(again).preKey(listed)).toBeDefined();

    // Bob seals to the published key; the reloaded device opens it.
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const bobStore = diskLike(() => false);
    const bob = await loadOrCreateDevice({ store: bobStore, name: 'bob', platform: 'web' });
    await bob.register(world.as('usr_bob'));
    const sent = await createE2EClient(world.as('usr_bob'), bob, bobStore).messages.send({ chatId: 'chat_1', plaintext: 'after the crash', contentType: 'text/plain' });
    expect((await createE2EClient(world.as('usr_ada'), again, store).messages.decrypt(sent)).text).toBe('after the crash');
    // The next rotation goes on from the published key.
    expect((await again.rotateSignedPreKey(world.as('usr_ada'))).keyId).toBe(3);
  });

  it('a registration whose save fails publishes nothing', async () => {
    let fail = false;
    const { world, device } = await registered(() => fail);
    fail = true;
    await expect(device.register(world.as('usr_ada'))).rejects.toMatchObject({ code: 'key_store_failed' });
    expect(world.devices).toEqual([]);
  });
});
