// Attacks on sealed messages: each is refused with a typed E2EError naming what was wrong, and
// no plaintext comes back (nor appears in the error).
import { describe, expect, it, vi } from 'vitest';
import { fromBase64, toBase64Url } from '../../src/e2e/bytes.js';
import { createE2EClient, type E2EClient } from '../../src/e2e/client.js';
import { secretsOf, signPreKey, type Device } from '../../src/e2e/device.js';
import { sealEnvelope } from '../../src/e2e/envelope.js';
import { sealMessage, sha256, type FixedRandomness } from '../../src/e2e/message.js';
import { verifyBundle, type VerifiedDevice } from '../../src/e2e/trust.js';
import { E2EError, loadOrCreateDevice, memoryKeyStore, type StoredMessage } from '../../src/e2e/index.js';
import type { E2EApi } from '../../src/e2e/api.js';
import { fakeWorld } from './fake-api.js';

const SECRET = 'the launch code is 0000';

async function setUp(policy: 'warn' | 'block' = 'warn') {
  const world = fakeWorld();
  const make = async (userId: string, name: string) => {
    const store = memoryKeyStore();
    const device = await loadOrCreateDevice({ store, name, platform: 'web' });
    await device.register(world.as(userId));
    const warnings: unknown[] = [];
    const client = createE2EClient(world.as(userId), device, store, { onIdentityChange: policy, onWarning: (c) => warnings.push(c) });
    return { device, store, client, warnings, id: device.id! };
  };
  const ada = await make('usr_ada', 'laptop');
  const ada2 = await make('usr_ada', 'phone');
  const bob = await make('usr_bob', 'laptop');
  const bob2 = await make('usr_bob', 'phone');
  const mal = await make('usr_mal', 'laptop');
  world.chats.set('chat_1', ['usr_ada', 'usr_bob', 'usr_mal']);
  world.chats.set('chat_2', ['usr_ada', 'usr_bob']);
  const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
  return { world, ada, ada2, bob, bob2, mal, sent };
}

/** The code the decrypt fails with; fails the test if it returns plaintext or throws anything else. */
async function refused(client: E2EClient, message: StoredMessage): Promise<string> {
  try {
    const out = await client.messages.decrypt(message);
    throw new Error(`decrypted: ${out.text === SECRET ? 'the secret' : 'something'}`);
  } catch (error) {
    if (!(error instanceof E2EError)) throw error;
    expect(error.message).not.toContain(SECRET);
    return error.code;
  }
}

/** Seals SECRET in chat_1 as `senderDeviceId` claims, signed by `signer`, to `to` (a crafted message). */
async function craft(signer: Device, senderDeviceId: string, to: VerifiedDevice[], fixed?: FixedRandomness) {
  return sealMessage({
    chatId: 'chat_1',
    contentType: 'text/plain',
    senderDeviceId,
    sign: secretsOf(signer).sign,
    recipients: to.map((d) => ({ deviceId: d.id, keyId: d.keyId, publicKey: d.preKey })),
    inner: { body: new TextEncoder().encode(SECRET), sentAt: Date.now(), recipients: [], files: [] },
    ...(fixed ? { fixed } : {}),
  });
}

/** A message as the API would store it: Ada's device sent `ciphertext` with these envelopes to chat_1. */
function fromAda(id: string, senderDeviceId: string, ciphertext: Uint8Array, envelopes: { deviceId: string; header: Uint8Array }[]): StoredMessage {
  return {
    id,
    chatId: 'chat_1',
    senderId: 'usr_ada',
    senderDeviceId,
    contentType: 'text/plain',
    createdAt: new Date().toISOString(),
    ciphertext: toBase64Url(ciphertext),
    envelopes: envelopes.map((e) => ({ deviceId: e.deviceId, header: toBase64Url(e.header) })),
  };
}

const flip = (text: string, at: number) => {
  const bytes = fromBase64(text, 'x');
  bytes[at]! ^= 0x01;
  return toBase64Url(bytes);
};

describe('attacks on a sealed message', () => {
  it('a flipped bit anywhere in the ciphertext or in the envelope: refused, every position', async () => {
    const { bob, sent } = await setUp();
    const codes = new Map<string, number>();
    const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
    const length = fromBase64(sent.ciphertext, 'x').length;
    for (let at = 0; at < length; at++) count(await refused(bob.client, { ...sent, ciphertext: flip(sent.ciphertext, at) }));
    const mine = sent.envelopes.findIndex((e) => e.deviceId === bob.id);
    for (let at = 0; at < 87; at++) {
      const envelopes = sent.envelopes.map((e, i) => (i === mine ? { ...e, header: flip(e.header, at) } : e));
      count(await refused(bob.client, { ...sent, envelopes }));
    }
    // Version and suite bytes: unsupported_version; the envelope's keyId: a key this device lacks;
    // every other byte (the commitment too: the envelope binds the whole ciphertext): decrypt_failed.
    expect(Object.fromEntries(codes)).toEqual({ unsupported_version: 6, not_for_this_device: 4, decrypt_failed: length + 87 - 10 });
    expect((await bob.client.messages.decrypt(sent)).text).toBe(SECRET);
  });

  it('an envelope moved to another device, or to another message: decrypt_failed', async () => {
    const { ada, bob, bob2, sent } = await setUp();
    const phone = sent.envelopes.find((e) => e.deviceId === bob2.id)!;
    const moved = sent.envelopes.map((e) => (e.deviceId === bob.id ? { ...e, header: phone.header } : e));
    expect(await refused(bob.client, { ...sent, envelopes: moved })).toBe('decrypt_failed');
    const other = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'another', contentType: 'text/plain' });
    const mine = sent.envelopes.find((e) => e.deviceId === bob.id)!;
    const grafted = other.envelopes.map((e) => (e.deviceId === bob.id ? mine : e));
    expect(await refused(bob.client, { ...other, envelopes: grafted })).toBe('decrypt_failed');
  });

  it('the body re-sent to another chat or under another content type: decrypt_failed', async () => {
    const { bob, sent } = await setUp();
    expect(await refused(bob.client, { ...sent, id: 'msg_x1', chatId: 'chat_2' })).toBe('decrypt_failed');
    expect(await refused(bob.client, { ...sent, id: 'msg_x2', contentType: 'text/html' })).toBe('decrypt_failed');
  });

  it('the same body posted again as a new message: replay; reading the first again still works', async () => {
    const { bob, sent } = await setUp();
    expect((await bob.client.messages.decrypt(sent)).text).toBe(SECRET);
    expect(await refused(bob.client, { ...sent, id: 'msg_again' })).toBe('replay');
    expect((await bob.client.messages.decrypt(sent)).text).toBe(SECRET);
  });

  it('a copy shown before the original owns the body on this device: the original is then replay, the copy reads again', async () => {
    const { bob, sent } = await setUp();
    const copy = { ...sent, id: 'msg_copy', createdAt: new Date(Date.parse(sent.createdAt!) + 60_000).toISOString() };
    expect((await bob.client.messages.decrypt(copy)).text).toBe(SECRET); // nothing yet says it is a copy
    expect(await refused(bob.client, sent)).toBe('replay');
    expect((await bob.client.messages.decrypt(copy)).text).toBe(SECRET);
    // Whatever the dates: the same createdAt and a lower id is a copy too.
    expect(await refused(bob.client, { ...sent, id: 'msg_000' })).toBe('replay');
  });

  it('a forged sender: bad_signature; an unknown sender device or one of another user: unknown_sender', async () => {
    const { world, ada, bob, mal } = await setUp();
    // Mallory, a member of the chat, seals a message and the server labels it as Ada's device.
    const forged = await mal.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    // Re-seal so the context names Ada's device (the server rewrote senderDeviceId).
    const bundles = await Promise.all(world.devices.map(verifyBundle));
    const sealed = await craft(mal.device, ada.id, bundles);
    const asAda: StoredMessage = {
      ...forged,
      id: 'msg_forged',
      senderId: 'usr_ada',
      senderDeviceId: ada.id,
      ciphertext: toBase64Url(sealed.ciphertext),
      envelopes: sealed.envelopes.map((e) => ({ deviceId: e.deviceId, header: toBase64Url(e.header) })),
    };
    expect(await refused(bob.client, asAda)).toBe('bad_signature');
    expect(await refused(bob.client, { ...forged, id: 'msg_g', senderDeviceId: 'dev_ghost' })).toBe('unknown_sender');
    expect(await refused(bob.client, { ...forged, id: 'msg_h', senderId: 'usr_ada' })).toBe('unknown_sender');
  });

  it("a removed device's later message: device_removed; what it sent before still opens", async () => {
    const { world, ada2, bob } = await setUp();
    const before = await ada2.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    expect((await bob.client.messages.decrypt(before)).text).toBe(SECRET);
    world.devices.find((d) => d.id === ada2.id)!.removedAt = new Date(Date.now() - 1000).toISOString();
    const after = await ada2.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    expect(after.envelopes.map((e) => e.deviceId)).not.toContain(ada2.id); // not sealed to removed devices
    expect(await refused(bob.client, after)).toBe('device_removed');
  });

  it("a removed device's later message with a date that does not parse (createdAt, removedAt): malformed, never opened", async () => {
    const { world, ada2, bob } = await setUp();
    const entry = world.devices.find((d) => d.id === ada2.id)!;
    entry.removedAt = new Date(Date.now() - 1000).toISOString();
    const after = await ada2.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    expect(await refused(bob.client, { ...after, createdAt: 'yesterday' })).toBe('malformed');
    entry.removedAt = 'garbage';
    expect(await refused(bob.client, after)).toBe('malformed');
    entry.removedAt = new Date(Date.now() - 1000).toISOString();
    expect(await refused(bob.client, after)).toBe('device_removed');
  });

  it('a downgraded or unknown version or suite: unsupported_version', async () => {
    const { bob, sent } = await setUp();
    const set = (text: string, at: number, value: number) => {
      const bytes = fromBase64(text, 'x');
      bytes[at] = value;
      return toBase64Url(bytes);
    };
    expect(await refused(bob.client, { ...sent, ciphertext: set(sent.ciphertext, 0, 0x00) })).toBe('unsupported_version');
    expect(await refused(bob.client, { ...sent, ciphertext: set(sent.ciphertext, 0, 0x02) })).toBe('unsupported_version');
    expect(await refused(bob.client, { ...sent, ciphertext: set(sent.ciphertext, 2, 0x02) })).toBe('unsupported_version');
    const envelopes = sent.envelopes.map((e) => (e.deviceId === bob.id ? { ...e, header: set(e.header, 0, 0x02) } : e));
    expect(await refused(bob.client, { ...sent, envelopes })).toBe('unsupported_version');
  });

  it('a sender giving one device another content key: key_commitment', async () => {
    const { world, ada, bob } = await setUp();
    const bundles = await Promise.all(world.devices.filter((d) => d.userId !== 'usr_mal').map(verifyBundle));
    const sealed = await craft(ada.device, ada.id, bundles);
    const bobs = bundles.find((d) => d.id === bob.id)!;
    const other = await sealEnvelope({ deviceId: bob.id, keyId: bobs.keyId, publicKey: bobs.preKey }, await sha256(sealed.ciphertext), crypto.getRandomValues(new Uint8Array(32)));
    const message = fromAda('msg_k', ada.id, sealed.ciphertext, sealed.envelopes.map((e) => ({ deviceId: e.deviceId, header: e.deviceId === bob.id ? other : e.header })));
    expect(await refused(bob.client, message)).toBe('key_commitment');
  });

  it('an envelope added for a device the sender did not address: not_for_this_device', async () => {
    const { world, ada, bob, bob2 } = await setUp();
    const all = await Promise.all(world.devices.map(verifyBundle));
    const key = crypto.getRandomValues(new Uint8Array(32));
    const sealed = await craft(ada.device, ada.id, all.filter((d) => d.id === bob.id), { key, msgId: new Uint8Array(16), nonce: new Uint8Array(12), ekm: [] });
    // A co-recipient who knows the content key adds a ghost envelope for another device.
    const phone = all.find((d) => d.id === bob2.id)!;
    const ghost = await sealEnvelope({ deviceId: bob2.id, keyId: phone.keyId, publicKey: phone.preKey }, await sha256(sealed.ciphertext), key);
    const message = fromAda('msg_ghost', ada.id, sealed.ciphertext, [...sealed.envelopes, { deviceId: bob2.id, header: ghost }]);
    expect(await refused(bob2.client, message)).toBe('not_for_this_device');
    expect(await refused(bob2.client, { ...message, envelopes: message.envelopes.slice(0, 1) })).toBe('not_for_this_device');
  });

  it("a user's identity key swapped by the server: identity_changed under 'block', a warning under 'warn'", async () => {
    for (const policy of ['block', 'warn'] as const) {
      const { world, ada, bob } = await setUp(policy);
      // Ada pinned Bob's devices when she sent. Now the server swaps Bob's laptop for another key.
      const impostor = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'x', platform: 'web' });
      await impostor.register(world.as('usr_bob'));
      const entry = world.devices.find((d) => d.id === bob.id)!;
      const fake = world.devices.pop()!;
      Object.assign(entry, { identityKey: fake.identityKey, signedPreKey: fake.signedPreKey });
      const send = ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
      if (policy === 'block') await expect(send).rejects.toMatchObject({ name: 'E2EError', code: 'identity_changed', message: expect.stringContaining('then acceptIdentity') });
      else {
        await send;
        expect(ada.warnings).toEqual([{ userId: 'usr_bob', deviceId: bob.id, kind: 'key_changed' }]);
      }
    }
  });

  it("a device the server adds to the sender's own user: identity_changed under 'block' (nothing sent), a warning under 'warn'", async () => {
    for (const policy of ['block', 'warn'] as const) {
      const { world, ada } = await setUp(policy);
      // Ada pinned her own phone when she first sent. Now the server lists a device it controls as hers.
      const planted = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'planted', platform: 'web' });
      await planted.register(world.as('usr_ada'));
      const before = world.messages.length;
      const send = ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
      if (policy === 'block') {
        await expect(send).rejects.toMatchObject({ name: 'E2EError', code: 'identity_changed' });
        expect(world.messages.length).toBe(before);
      } else {
        expect((await send).envelopes.map((e) => e.deviceId)).toContain(planted.id);
        expect(ada.warnings).toEqual([{ userId: 'usr_ada', deviceId: planted.id, kind: 'device_added' }]);
      }
    }
  });

  it('this device listed under another identity key: identity_changed under either policy, nothing sent', async () => {
    for (const policy of ['block', 'warn'] as const) {
      const { world, ada } = await setUp(policy);
      const other = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'x', platform: 'web' });
      await other.register(world.as('usr_ada'));
      const fake = world.devices.pop()!;
      Object.assign(world.devices.find((d) => d.id === ada.id)!, { identityKey: fake.identityKey, signedPreKey: fake.signedPreKey });
      const before = world.messages.length;
      await expect(ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' })).rejects.toMatchObject({ code: 'identity_changed' });
      expect([world.messages.length, ada.warnings]).toEqual([before, []]);
    }
  });

  it("the default 'warn' policy warns on the console: one line naming user, device and change, no key material", async () => {
    const { world, ada } = await setUp();
    const client = createE2EClient(world.as('usr_ada'), ada.device, ada.store);
    const planted = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'planted', platform: 'web' });
    await planted.register(world.as('usr_bob'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
      expect(warn.mock.calls).toEqual([[`coveton e2e: device_added for device ${planted.id} of usr_bob, let through by onIdentityChange 'warn'`]]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a device shown to senders but hidden from safety numbers: the safety numbers differ', async () => {
    const world = fakeWorld();
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const make = async (userId: string, api: (base: E2EApi) => E2EApi = (a) => a) => {
      const store = memoryKeyStore();
      const device = await loadOrCreateDevice({ store, name: 'x', platform: 'web' });
      await device.register(world.as(userId));
      return { device, client: createE2EClient(api(world.as(userId)), device, store, { onWarning: () => {} }) };
    };
    const bob = await make('usr_bob');
    const planted = await make('usr_bob');
    // Ada's server lists the planted device in the chat, and leaves it out of Bob's device list.
    const hide = (base: E2EApi): E2EApi => ({
      ...base,
      devices: {
        ...base.devices,
        listForUser: async function* (id: string) {
          for await (const d of base.devices.listForUser(id)) if (d.id !== planted.device.id) yield d;
        },
      },
    });
    const ada = await make('usr_ada', hide);
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    expect(sent.envelopes.map((e) => e.deviceId)).toContain(planted.device.id);
    const fromAda = await ada.client.safetyNumber('usr_bob');
    // Bob's side, from an honest list without the planted device.
    world.devices.splice(world.devices.findIndex((d) => d.id === planted.device.id), 1);
    const fromBob = await bob.client.safetyNumber('usr_ada');
    expect(fromAda.digits).not.toBe(fromBob.digits);
  });

  it('a device or user id outside the API\'s pattern ($key, $bytes, __proto__, constructor): bad_bundle, nothing sent', async () => {
    const { world, ada, bob } = await setUp();
    const entry = world.devices.find((d) => d.id === bob.id)!;
    const before = world.messages.length;
    for (const id of ['$key', '$bytes', '__proto__', 'constructor']) {
      for (const field of ['id', 'userId'] as const) {
        const saved = entry[field];
        entry[field] = id;
        world.chats.set('chat_1', ['usr_ada', 'usr_bob', 'usr_mal', id]);
        await expect(ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' })).rejects.toMatchObject({ code: 'bad_bundle' });
        entry[field] = saved;
      }
    }
    expect(world.messages.length).toBe(before);
  });

  it('a validly signed all-zero X25519 pre-key: bad_bundle naming the device, nothing sent', async () => {
    const { world, ada, bob } = await setUp();
    const entry = world.devices.find((d) => d.id === bob.id)!;
    entry.signedPreKey = await signPreKey(secretsOf(bob.device).record.identity.privateKey, 2, new Uint8Array(32));
    const before = world.messages.length;
    const send = ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    await expect(send).rejects.toMatchObject({ name: 'E2EError', code: 'bad_bundle', message: `bad_bundle: signed pre-key of ${bob.id}` });
    expect(world.messages.length).toBe(before);
  });

  it("under 'block', a new device of a contact: safety numbers still compare (on the listed devices), acceptIdentity then lets sends through", async () => {
    const { world, ada, bob } = await setUp('block');
    const tablet = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'tablet', platform: 'web' });
    await tablet.register(world.as('usr_bob'));
    const send = () => ada.client.messages.send({ chatId: 'chat_2', plaintext: SECRET, contentType: 'text/plain' });
    await expect(send()).rejects.toMatchObject({ code: 'identity_changed' });
    const fromAda = await ada.client.safetyNumber('usr_bob');
    expect(fromAda.digits).toBe((await bob.client.safetyNumber('usr_ada')).digits);
    await expect(send()).rejects.toMatchObject({ code: 'identity_changed' }); // comparing accepted nothing
    await ada.client.acceptIdentity('usr_bob', fromAda);
    expect((await send()).envelopes.map((e) => e.deviceId)).toContain(tablet.id);
    expect((await ada.client.safetyNumber('usr_bob')).digits).toBe(fromAda.digits);
  });

  it('a bundle whose signed pre-key does not verify: bad_bundle, nothing sent', async () => {
    const { world, ada, bob } = await setUp();
    const entry = world.devices.find((d) => d.id === bob.id)!;
    const sig = fromBase64(entry.signedPreKey.signature, 'x');
    sig[5]! ^= 1;
    entry.signedPreKey = { ...entry.signedPreKey, signature: Buffer.from(sig).toString('base64') };
    const before = world.messages.length;
    await expect(ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' })).rejects.toMatchObject({ code: 'bad_bundle' });
    expect(world.messages.length).toBe(before);
  });
});
