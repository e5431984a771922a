// Device listings are checked as a whole before anything is sealed to them: a device id listed
// twice, or this device's id with another key or user, refuses the listing under every policy.
import { describe, expect, it, vi } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { loadOrCreateDevice, memoryKeyStore, type IdentityPolicy } from '../../src/e2e/index.js';
import type { BundleDevice } from '../../src/e2e/api.js';
import { adaAndBob } from './fake-api.js';

const SECRET = 'the launch code is 0000';
const POLICIES: IdentityPolicy[] = ['warn', 'block', () => 'warn'];

async function setUp(policy: IdentityPolicy) {
  const { world, ada, bob } = await adaAndBob({ onIdentityChange: policy });
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

describe('device listings are bounded (the spec: maxItems 1000)', () => {
  /** A listing of `n` clones of Bob's bundle under fresh ids, counting what the client read of it. */
  const clones = (bundle: BundleDevice, n: number, read: { count: number }) =>
    async function* (): AsyncIterable<BundleDevice> {
      for (let i = 0; i < n; i++) (read.count++, yield { ...bundle, id: `dev_clone${i}` });
    };

  it('1001 devices, or a listing that never ends: bad_bundle after reading 1001, before any bundle is verified, nothing sealed', async () => {
    for (const n of [1001, Infinity]) {
      const { world, ada, bob } = await setUp('warn');
      const api = world.as('usr_ada');
      const read = { count: 0 };
      const bundle = world.devices.find((d) => d.id === bob.id)!;
      const listing = clones(bundle, n, read);
      const client = createE2EClient({ ...api, devices: { ...api.devices, listForChat: listing, listForUser: listing } }, ada.device, memoryKeyStore());
      const verify = vi.spyOn(crypto.subtle, 'verify');
      try {
        expect(await code(client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' }))).toBe('E2EError:bad_bundle');
        expect(await code(client.safetyNumber('usr_bob'))).toBe('E2EError:bad_bundle');
        expect([read.count, verify.mock.calls.length, world.messages.length]).toEqual([2002, 0, 0]);
      } finally {
        verify.mockRestore();
      }
    }
  });

  it('1000 devices: sealed to all 1000', async () => {
    const { world, ada, bob } = await setUp('warn');
    const api = world.as('usr_ada');
    const bundle = world.devices.find((d) => d.id === bob.id)!;
    const listing = clones(bundle, 1000, { count: 0 });
    const client = createE2EClient({ ...api, devices: { ...api.devices, listForChat: listing } }, ada.device, memoryKeyStore());
    const verify = vi.spyOn(crypto.subtle, 'verify');
    try {
      expect((await client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' })).envelopes).toHaveLength(1000);
      expect(verify.mock.calls.length).toBe(1000); // the spy above sees every bundle verified
    } finally {
      verify.mockRestore();
    }
  });
});
