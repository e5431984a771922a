// Devices listed as removed, and trust: every key that can sign a message that opens as a user's
// is in the safety number, or refused. A hostile server registers a device of its own under
// usr_bob, hides it from Bob's own listings, and lists it to Ada as removed: in the past (with the
// device's signed sentAt and the server's createdAt backdated before it) or in the future.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createE2EClient, type E2EClient } from '../../src/e2e/client.js';
import { loadPins } from '../../src/e2e/trust.js';
import { loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';
import { adaAndBob, enrol, fakeWorld, hiding, type FakeWorld } from './fake-api.js';

const PAST = '2020-01-01T00:00:00.000Z';
const FUTURE = '2099-01-01T00:00:00.000Z';
const BACKDATED = Date.parse('2019-06-01T00:00:00.000Z');

const code = (work: Promise<unknown>) => work.then(() => 'resolved', (e: { name?: string; code?: string }) => `${e.name}:${e.code}`);
const send = (client: E2EClient, text = 'hi') => client.messages.send({ chatId: 'chat_1', plaintext: text, contentType: 'text/plain' });

/** The server's own device under usr_bob, listed with `removedAt`, and its message to chat_1 (backdated before a past removal). */
async function serverDevice(world: FakeWorld, removedAt: string) {
  const store = memoryKeyStore();
  const device = await loadOrCreateDevice({ store, name: 'x', platform: 'web' });
  await device.register(world.as('usr_bob'));
  world.devices.find((d) => d.id === device.id)!.removedAt = removedAt;
  const client = createE2EClient(world.as('usr_bob'), device, store, { onWarning: () => {} });
  const forge = async () => {
    if (removedAt === PAST) vi.spyOn(Date, 'now').mockReturnValue(BACKDATED);
    const message = await send(client, 'wire the money to XX00 EVIL');
    vi.restoreAllMocks();
    return removedAt === PAST ? { ...message, createdAt: new Date(BACKDATED).toISOString() } : message;
  };
  return { id: device.id!, forge };
}

/**
 * Ada and Bob under 'block', Bob pinned by Ada, then the server's device under usr_bob listed to
 * Ada with `removedAt` and hidden from Bob: Ada's client, Bob's number and the server's device.
 */
async function afterContact(removedAt: string) {
  const { world, ada, bob } = await adaAndBob();
  const client = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: 'block' });
  let hidden = '';
  const bobClient = createE2EClient(hiding(world.as('usr_bob'), () => hidden), bob.device, bob.store, { onIdentityChange: 'block' });
  await send(client);
  const evil = await serverDevice(world, removedAt);
  hidden = evil.id;
  const pinned = async () => [...(await loadPins(ada.store, 'usr_bob')).keys()];
  return { ada, bob, client, evil, pinned, bobSees: () => bobClient.safetyNumber('usr_ada') };
}

afterEach(() => vi.restoreAllMocks());

describe('a device first seen removed', () => {
  it("acceptIdentity after a device listed removed in the past: not pinned, and its backdated message as Bob's is device_removed", async () => {
    const { ada, bob, client, evil, pinned, bobSees } = await afterContact(PAST);
    // Nothing is sealed to it and it is no change to block on; the number never shows it.
    expect((await send(client)).envelopes.map((e) => e.deviceId).sort()).toEqual([ada.id, bob.id].sort());
    const number = (await bobSees()).digits;
    expect((await client.safetyNumber('usr_bob')).digits).toBe(number);
    await client.acceptIdentity('usr_bob', number);
    expect(await pinned()).toEqual([bob.id]);
    expect(await code(client.messages.decrypt(await evil.forge()))).toBe('E2EError:device_removed');
  });

  it('a device listed removed in the future counts as active: the send blocks, the numbers differ, the accept is refused, its message does not open', async () => {
    const { bob, client, evil, pinned, bobSees } = await afterContact(FUTURE);
    expect(await code(send(client))).toBe('E2EError:identity_changed');
    const number = (await bobSees()).digits;
    expect((await client.safetyNumber('usr_bob')).digits).not.toBe(number);
    expect(await code(client.acceptIdentity('usr_bob', number))).toBe('E2EError:identity_changed');
    expect(await pinned()).toEqual([bob.id]);
    expect(await code(client.messages.decrypt(await evil.forge()))).toBe('E2EError:identity_changed');
  });

  it('at first contact (block or warn): not pinned, no warning, its backdated message is device_removed', async () => {
    for (const policy of ['block', 'warn'] as const) {
      const world = fakeWorld();
      const ada = await enrol(world, 'usr_ada', { onIdentityChange: policy });
      await enrol(world, 'usr_bob');
      world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
      const evil = await serverDevice(world, PAST);
      const message = await evil.forge();
      expect([policy, await code(ada.client.messages.decrypt(message))]).toEqual([policy, 'E2EError:device_removed']);
      expect([...(await loadPins(ada.store, 'usr_bob')).keys()]).not.toContain(evil.id);
      expect(ada.warnings).toEqual([]);
    }
  });

  it("after first contact, under 'warn': no warning, not pinned, its backdated message is device_removed", async () => {
    const { world, ada } = await adaAndBob();
    await send(ada.client);
    const evil = await serverDevice(world, PAST);
    expect(await code(ada.client.messages.decrypt(await evil.forge()))).toBe('E2EError:device_removed');
    expect([...(await loadPins(ada.store, 'usr_bob')).keys()]).not.toContain(evil.id);
    expect(ada.warnings).toEqual([]);
  });
});

/**
 * Bob's phone, pinned by Ada's client (under 'block') at first contact or by an accept while
 * active, sends, is removed (dated at that message), a tablet is added, and Ada accepts: her pins
 * then, and what the phone's message before the removal and one after it give.
 */
async function removedThenAccepted(pinnedBy: 'first contact' | 'an accept') {
  const { world, ada, bob } = await adaAndBob();
  const client = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: 'block' });
  const accept = async () => client.acceptIdentity('usr_bob', await client.safetyNumber('usr_bob'));
  if (pinnedBy === 'an accept') await send(client); // pins Bob's laptop
  const phone = await enrol(world, 'usr_bob');
  if (pinnedBy === 'an accept') expect(await code(send(client))).toBe('E2EError:identity_changed');
  await (pinnedBy === 'an accept' ? accept() : send(client));
  const before = await send(phone.client, 'from the phone');
  const removedAt = Date.parse(before.createdAt!);
  world.devices.find((d) => d.id === phone.id)!.removedAt = before.createdAt!;
  const tablet = await enrol(world, 'usr_bob');
  expect(await code(send(client))).toBe('E2EError:identity_changed');
  await accept();
  const after = { ...(await send(phone.client)), createdAt: new Date(removedAt + 1).toISOString() };
  return {
    ids: { bob: bob.id, phone: phone.id, tablet: tablet.id },
    removedAt,
    pins: [...(await loadPins(ada.store, 'usr_bob'))].sort(),
    before: await code(client.messages.decrypt(before)),
    after: await code(client.messages.decrypt(after)),
  };
}

describe('a device pinned while active, then listed removed', () => {
  it('one an accept pinned: a later accept keeps it, dated; what it sent before its removal opens, what it signs after does not', async () => {
    const { ids, removedAt, pins, before, after } = await removedThenAccepted('an accept');
    expect(pins).toEqual(
      [
        [ids.bob, { key: expect.any(String), removedAt: null, compared: true, keyId: 1 }],
        [ids.phone, { key: expect.any(String), removedAt, compared: true, keyId: 1 }],
        [ids.tablet, { key: expect.any(String), removedAt: null, compared: true, keyId: 1 }],
      ].sort(),
    );
    expect([before, after]).toEqual(['resolved', 'E2EError:device_removed']);
  });

  it('one only first contact pinned, removed before any accept: its key was in no compared number, so the accept drops it and nothing it signed opens', async () => {
    const { ids, pins, before, after } = await removedThenAccepted('first contact');
    expect(pins.map(([id]) => id)).toEqual([ids.bob, ids.tablet].sort());
    // Its message from before the removal opened before this change.
    expect([before, after]).toEqual(['E2EError:device_removed', 'E2EError:device_removed']);
  });

  it('a removal dated in the future: nothing sealed to it, but it stays in the safety number while it can sign', async () => {
    const { world, ada } = await adaAndBob();
    const phone = await enrol(world, 'usr_bob');
    await send(ada.client);
    const number = (await ada.client.safetyNumber('usr_bob')).digits;
    world.devices.find((d) => d.id === phone.id)!.removedAt = FUTURE;
    expect((await send(ada.client)).envelopes.map((e) => e.deviceId)).not.toContain(phone.id);
    expect((await ada.client.safetyNumber('usr_bob')).digits).toBe(number);
    expect((await ada.client.messages.decrypt(await send(phone.client, 'still mine'))).text).toBe('still mine');
    expect((await loadPins(ada.store, 'usr_bob')).get(phone.id)?.removedAt).toBe(null);
  });
});
