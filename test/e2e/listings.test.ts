// Device listings are checked as a whole before anything is sealed to them: a device id listed
// twice, or this device's id with another key or user, refuses the listing under every policy.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { loadOrCreateDevice, memoryKeyStore, type IdentityPolicy } from '../../src/e2e/index.js';
import { fakeWorld } from './fake-api.js';

const SECRET = 'the launch code is 0000';
const POLICIES: IdentityPolicy[] = ['warn', 'block', () => 'warn'];

async function setUp(policy: IdentityPolicy) {
  const world = fakeWorld();
  const make = async (userId: string) => {
    const store = memoryKeyStore();
    const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
    await device.register(world.as(userId));
    const warnings: unknown[] = [];
    const client = createE2EClient(world.as(userId), device, store, { onIdentityChange: policy, onWarning: (c) => warnings.push(c) });
    return { device, client, warnings, id: device.id! };
  };
  const ada = await make('usr_ada');
  const bob = await make('usr_bob');
  world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
  // A device of the server's own, whose keys it lists under other devices' ids.
  const server = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'server', platform: 'web' });
  await server.register(world.as('usr_srv'));
  const serverKeys = world.devices.pop()!;
  const send = () => ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
  /** Lists the server's keys under `id` and `userId` as well, before or after the real entry. */
  const plant = (id: string, userId: string, first = false) => {
    const entry = { ...serverKeys, id, userId };
    if (first) world.devices.unshift(entry);
    else world.devices.push(entry);
  };
  return { world, ada, bob, send, plant, serverKeys };
}

const code = async (work: Promise<unknown>) =>
  work.then(
    () => 'resolved',
    (error: { name?: string; code?: string }) => `${error.name}:${error.code}`,
  );

describe('device listings', () => {
  it("this device's id listed twice (the second with the server's keys): bad_bundle, nothing sealed, under every policy", async () => {
    for (const policy of POLICIES) {
      for (const first of [false, true]) {
        const { world, ada, send, plant } = await setUp(policy);
        await send(); // first contact: pins made
        plant(ada.id, 'usr_ada', first);
        const before = world.messages.length;
        expect(await code(send())).toBe('E2EError:bad_bundle');
        expect([world.messages.length, ada.warnings]).toEqual([before, []]);
      }
    }
  });

  it("another device's id listed twice: bad_bundle at first contact and after, sending and reading", async () => {
    for (const policy of POLICIES) {
      const { world, ada, bob, send, plant } = await setUp(policy);
      const sent = await send();
      plant(bob.id, 'usr_bob');
      expect(await code(send())).toBe('E2EError:bad_bundle');
      expect(world.messages.length).toBe(1);
      // Bob has never listed the chat: his first listing is refused whole, nothing opened.
      expect(await code(bob.client.messages.decrypt(sent))).toBe('E2EError:bad_bundle');
    }
  });

  it("this device's only entry with the server's key, or under another user: refused, nothing sealed, under every policy", async () => {
    for (const policy of POLICIES) {
      for (const userId of ['usr_ada', 'usr_bob']) {
        const { world, ada, send, plant } = await setUp(policy);
        world.devices.splice(world.devices.findIndex((d) => d.id === ada.id), 1);
        plant(ada.id, userId);
        expect(await code(send())).toBe('E2EError:identity_changed');
        expect([world.messages.length, ada.warnings]).toEqual([0, []]);
      }
    }
  });

  it('a device id listed twice to safetyNumber and acceptIdentity: bad_bundle', async () => {
    const { ada, bob, send, plant } = await setUp('block');
    await send();
    const number = await bob.client.safetyNumber('usr_ada');
    plant(bob.id, 'usr_bob');
    expect(await code(ada.client.safetyNumber('usr_bob'))).toBe('E2EError:bad_bundle');
    expect(await code(ada.client.acceptIdentity('usr_bob', number))).toBe('E2EError:bad_bundle');
  });
});
