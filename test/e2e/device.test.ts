// Registration and pre-key rotation against a store that fails or a process that stops between
// steps: no public pre-key is ever published whose private half is not already in the store.
// Two tabs (device objects) on one store: each opens what is sealed to the other's rotated key,
// and a rotation takes a keyId above the other's. A damaged record is key_store_invalid.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { secretsOf } from '../../src/e2e/device.js';
import { E2EError, loadOrCreateDevice, memoryKeyStore, type KeyStore, type SignedPreKey } from '../../src/e2e/index.js';
import { enrol, fakeWorld } from './fake-api.js';
import { overlappingRotations } from './support/rotations.js';

/** A store that keeps copies (as a disk or IndexedDB would) and refuses writes while `failing` says so; `values` may be shared, as tabs share a database. */
function diskLike(failing: () => boolean, values = new Map<string, unknown>()): KeyStore {
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
    expect(await secretsOf(again).preKey(listed)).toBeDefined();

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

describe('two tabs or processes of one device on one store', () => {
  /** Bob's device open in two tabs over one database, and Ada to send to it. */
  async function twoTabs() {
    const world = fakeWorld();
    const ada = await enrol(world, 'usr_ada');
    const database = new Map<string, unknown>();
    const tab = async () => {
      const store = diskLike(() => false, database);
      const device = await loadOrCreateDevice({ store, name: 'bob', platform: 'web' });
      return { device, client: createE2EClient(world.as('usr_bob'), device, store) };
    };
    const a = await tab();
    await a.device.register(world.as('usr_bob'));
    const b = await tab();
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const send = (plaintext: string) => ada.client.messages.send({ chatId: 'chat_1', plaintext, contentType: 'text/plain' });
    const keyIds = () => (database.get('coveton-e2e/device') as { preKeys: { keyId: number }[] }).preKeys.map((k) => k.keyId).sort();
    return { world, a, b, tab, send, keyIds };
  }

  it("a tab opens what is sealed to the other's rotated key, and its own rotation takes the next keyId", async () => {
    const { world, a, b, tab, send, keyIds } = await twoTabs();
    await a.device.rotateSignedPreKey(world.as('usr_bob'));
    const toTwo = await send('sealed to keyId 2');
    expect((await b.client.messages.decrypt(toTwo)).text).toBe('sealed to keyId 2');
    expect((await b.device.rotateSignedPreKey(world.as('usr_bob'))).keyId).toBe(3);
    expect(world.devices.find((d) => d.id === b.device.id)!.signedPreKey.keyId).toBe(3);
    const toThree = await send('sealed to keyId 3');
    expect(keyIds()).toEqual([1, 2, 3]);
    // A reload opens both: no key was overwritten by another of its keyId.
    const reloaded = await tab();
    expect((await reloaded.client.messages.decrypt(toTwo)).text).toBe('sealed to keyId 2');
    expect((await reloaded.client.messages.decrypt(toThree)).text).toBe('sealed to keyId 3');
    expect((await a.client.messages.decrypt(toThree)).text).toBe('sealed to keyId 3');
  });

  /** Bob's device registered, and loaded twice from one memory store (two device objects, as two parts of an app may). */
  async function oneStoreTwice() {
    const world = fakeWorld();
    const store = memoryKeyStore();
    const a = await loadOrCreateDevice({ store, name: 'bob', platform: 'web' });
    await a.register(world.as('usr_bob'));
    return { world, store, a, b: await loadOrCreateDevice({ store, name: 'bob', platform: 'web' }) };
  }

  it('two rotations at once, one per device object on one memory store: two keyIds, and every published private half is kept', async () => {
    const { world, store, a, b } = await oneStoreTwice();
    // Before: both read keyId 1 and published keyId 2, and the store held two keys of keyId 2.
    expect(await overlappingRotations(world, [a, b], store)).toEqual({ failed: [], attempts: [2, 3], stored: [1, 2, 3], publishedKept: true, pending: [] });
  });

  it('a rotation whose answer comes after a newer rotation ended leaves the newer key current, not replaced', async () => {
    const { world, store, a, b } = await oneStoreTwice();
    const api = world.as('usr_bob');
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // The API takes a's key (keyId 2) at once, and its answer arrives only after b's rotation (keyId 3) ended.
    const slow = { ...api, devices: { ...api.devices, rotateSignedPreKey: async (id: string, body: SignedPreKey) => ((await api.devices.rotateSignedPreKey(id, body)), await answered) } };
    const first = a.rotateSignedPreKey(slow as typeof api);
    const keys = async () => ((await store.get('coveton-e2e/device')) as { preKeys: { keyId: number; pending?: true; replacedAt?: number }[] }).preKeys;
    while (!(await keys()).some((k) => k.keyId === 2)) await new Promise((resolve) => setTimeout(resolve, 1));
    expect((await b.rotateSignedPreKey(api)).keyId).toBe(3);
    answer();
    expect((await first).keyId).toBe(2);
    expect(world.devices[0]!.signedPreKey.keyId).toBe(3);
    // Before: a's last save dropped keyId 3 (it wrote back the keys it read at its start); with
    // the keys read again but every other key replaced, it marked keyId 3 replaced, to be deleted
    // 30 days on while the API still lists it. KeyId 2 counts as replaced from the next rotation on.
    expect((await keys()).map((k) => [k.keyId, k.pending ?? false, k.replacedAt !== undefined]).sort()).toEqual([
      [1, false, true],
      [2, false, false],
      [3, false, false],
    ]);
  });

  it('reads the store again only for an envelope naming a key newer than it holds', async () => {
    const store = memoryKeyStore();
    let reads = 0;
    const counting: KeyStore = { ...store, get: (name) => ((reads += 1), store.get(name)) };
    const device = await loadOrCreateDevice({ store: counting, name: 'bob', platform: 'web' });
    reads = 0;
    expect(await secretsOf(device).preKey(1)).toBeDefined();
    expect(await secretsOf(device).preKey(0)).toBeUndefined(); // older, deleted: nothing to read
    expect(reads).toBe(0);
    expect(await secretsOf(device).preKey(2)).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('a damaged device record is key_store_invalid, at load and when read again', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const raw = new Uint8Array(32);
    const damaged = [
      {},
      { format: 1 },
      'x',
      { format: 1, identityRaw: raw, preKeys: [] },
      { format: 1, identity: pair, identityRaw: raw, preKeys: [{ keyId: -1, pair, raw }] },
      { format: 1, identity: pair, identityRaw: raw, preKeys: [{ keyId: 1, raw }] },
    ];
    for (const record of damaged) {
      const store = memoryKeyStore();
      await store.set('coveton-e2e/device', record);
      await expect(loadOrCreateDevice({ store, name: 'x', platform: 'web' }), JSON.stringify(record)).rejects.toMatchObject({ code: 'key_store_invalid' });
    }
    const { world, a } = await twoTabs();
    await secretsOf(a.device).store.set('coveton-e2e/device', { format: 1 });
    await expect(a.device.rotateSignedPreKey(world.as('usr_bob'))).rejects.toMatchObject({ code: 'key_store_invalid' });
    expect(world.devices.find((d) => d.id === a.device.id)!.signedPreKey.keyId).toBe(1);
  });

  it('a device record with no published pre-key (none, or only a pending one) is key_store_invalid, before anything is sent', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const raw = new Uint8Array(32);
    const expected = { code: 'key_store_invalid', message: 'key_store_invalid: coveton-e2e/device.preKeys' };
    for (const preKeys of [[], [{ keyId: 2, pair, raw, createdAt: 0, pending: true }]]) {
      // At load: before, loadOrCreateDevice resolved and register failed with a bare TypeError
      // (reduce of an empty array) before its post.
      const store = memoryKeyStore();
      await store.set('coveton-e2e/device', { format: 1, name: 'x', platform: 'web', identity: pair, identityRaw: raw, preKeys });
      await expect(loadOrCreateDevice({ store, name: 'x', platform: 'web' }), JSON.stringify(preKeys)).rejects.toMatchObject(expected);

      // Read again by a registered device (another tab wrote it): the rotation and the decrypt
      // that reads the record again fail the same way, and nothing is published.
      const { world, a, send } = await twoTabs();
      const record = (await secretsOf(a.device).store.get('coveton-e2e/device')) as Record<string, unknown>;
      await secretsOf(a.device).store.set('coveton-e2e/device', { ...record, preKeys });
      await expect(a.device.rotateSignedPreKey(world.as('usr_bob'))).rejects.toMatchObject(expected);
      expect(world.devices.find((d) => d.id === a.device.id)!.signedPreKey.keyId).toBe(1);
      const sent = await send('sealed to keyId 1');
      const envelope = sent.envelopes.find((e) => e.deviceId === a.device.id)!;
      const header = Uint8Array.from(atob(envelope.header.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      header.set([0, 0, 0, 7], 3);
      const renamed = { ...sent, envelopes: [{ deviceId: a.device.id!, header: btoa(String.fromCharCode(...header)) }] };
      await expect(a.client.messages.decrypt(renamed)).rejects.toMatchObject(expected);
    }
  });
});
