// The e2e client end to end against an in-memory API: Ada's two devices and Bob's two devices.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { loadOrCreateDevice, memoryKeyStore, type Device } from '../../src/e2e/index.js';
import { fakeWorld } from './fake-api.js';

async function setUp() {
  const world = fakeWorld();
  const make = async (userId: string, name: string) => {
    const store = memoryKeyStore();
    const device = await loadOrCreateDevice({ store, name, platform: 'web' });
    await device.register(world.as(userId));
    return { device, store, client: createE2EClient(world.as(userId), device, store) };
  };
  const ada = await make('usr_ada', "Ada's laptop");
  const ada2 = await make('usr_ada', "Ada's phone");
  const bob = await make('usr_bob', "Bob's laptop");
  const bob2 = await make('usr_bob', "Bob's phone");
  world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
  return { world, ada, ada2, bob, bob2 };
}

describe('e2e round trip (in-memory API)', () => {
  it('seals to every active device of the chat, the sender own other devices included; each opens it', async () => {
    const { world, ada, ada2, bob, bob2 } = await setUp();
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hello', contentType: 'text/plain' });
    expect(sent.envelopes.map((e) => e.deviceId).sort()).toEqual([ada.device.id, ada2.device.id, bob.device.id, bob2.device.id].sort());
    expect(JSON.stringify(world.messages)).not.toContain('hello');
    for (const reader of [ada, ada2, bob, bob2]) {
      const out = await reader.client.messages.decrypt(sent);
      expect(out).toMatchObject({ text: 'hello', contentType: 'text/plain', senderDeviceId: ada.device.id, senderUserId: 'usr_ada', files: [] });
    }
    // Reading history again is not a replay.
    expect((await bob.client.messages.decrypt(sent)).text).toBe('hello');
  });

  it('pads bodies to buckets: 1 and 100 byte messages have the same ciphertext length', async () => {
    const { ada } = await setUp();
    const a = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'x', contentType: 'text/plain' });
    const b = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'x'.repeat(100), contentType: 'text/plain' });
    expect(a.ciphertext.length).toBe(b.ciphertext.length);
  });

  it('a file goes up in STREAM segments and comes down as a stream, byte for byte', async () => {
    const { world, ada, bob } = await setUp();
    const data = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
    const attachment = await ada.client.files.upload(data, { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(world.files.get(attachment.fileId)!.length).toBe(39 + 200_000 + 16 * 4);
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'see attached', contentType: 'text/plain', files: [attachment] });
    expect(sent.fileIds).toEqual([attachment.fileId]);
    const { files } = await bob.client.messages.decrypt(sent);
    expect(files).toMatchObject([{ fileId: attachment.fileId, filename: 'report.pdf', contentType: 'application/pdf', size: 200_000 }]);
    const back = new Uint8Array(await new Response(await bob.client.files.download(files[0]!)).arrayBuffer());
    expect(back).toEqual(data);
  });

  it('safety numbers agree on both sides and change when a device is added', async () => {
    const { world, ada, bob } = await setUp();
    const fromAda = await ada.client.safetyNumber('usr_bob');
    const fromBob = await bob.client.safetyNumber('usr_ada');
    expect(fromAda.digits).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(fromAda.digits).toBe(fromBob.digits);
    expect(fromBob.matches(fromAda.digits.replace(/ /g, ''))).toBe(true);
    expect(fromBob.matches(fromAda.digits.replace(/^\d/, (d) => String((Number(d) + 1) % 10)))).toBe(false);
    const third = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'tablet', platform: 'web' });
    await third.register(world.as('usr_bob'));
    expect((await ada.client.safetyNumber('usr_bob')).digits).not.toBe(fromAda.digits);
  });

  it('loads the same device from its store: same identity, still registered', async () => {
    const store = memoryKeyStore();
    const world = fakeWorld();
    const first: Device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'desktop' });
    await first.register(world.as('usr_ada'));
    const again = await loadOrCreateDevice({ store, name: 'laptop', platform: 'desktop' });
    expect(again.identityKey).toBe(first.identityKey);
    expect(again.id).toBe(first.id);
    expect(world.devices).toHaveLength(1);
    expect(first.identityKey).toMatch(/^7[A-Za-z0-9+/]{43}$/);
  });
});
