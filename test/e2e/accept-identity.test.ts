// acceptIdentity pins exactly the devices whose safety number the user compared: the user's own
// devices, recomputed from the listing about to be pinned, and never no devices at all.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { loadPins } from '../../src/e2e/trust.js';
import { loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';
import type { BundleDevice, E2EApi } from '../../src/e2e/api.js';
import { adaAndBob } from './fake-api.js';

const SECRET = 'the launch code is 0000';

async function setUp() {
  const { world, ada, bob } = await adaAndBob();
  // What the server adds to Bob's listing, beyond what the world holds.
  const extra: BundleDevice[] = [];
  let hideBob = false;
  const api: E2EApi = world.as('usr_ada');
  const hostile: E2EApi = {
    ...api,
    devices: {
      ...api.devices,
      async *listForUser(userId: string) {
        for await (const d of api.devices.listForUser(userId)) if (!(hideBob && userId === 'usr_bob')) yield d;
        if (userId === 'usr_bob') yield* extra;
      },
      async *listForChat(chatId: string) {
        for await (const d of api.devices.listForChat(chatId)) if (!(hideBob && d.userId === 'usr_bob')) yield d;
        yield* extra.map((d) => ({ ...d, userId: 'usr_bob' }));
      },
    },
  };
  const client = createE2EClient(hostile, ada.device, ada.store, { onIdentityChange: 'block' });
  const bobClient = createE2EClient(world.as('usr_bob'), bob.device, bob.store, { onIdentityChange: 'block' });
  const send = () => client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
  const register = async (userId: string) => {
    const device = await loadOrCreateDevice({ store: memoryKeyStore(), name: 'tablet', platform: 'web' });
    await device.register(world.as(userId));
    return device.id!;
  };
  /** A device of the server's own, not in the world's listings. */
  const serverDevice = async () => {
    await register('usr_srv');
    return world.devices.pop()!;
  };
  const pinned = async () => [...(await loadPins(ada.store, 'usr_bob')).keys()].sort();
  const code = (work: Promise<unknown>) => work.then(() => 'resolved', (e: { name?: string; code?: string }) => `${e.name}:${e.code}`);
  return { world, ada, bob, client, bobClient, send, register, serverDevice, extra, hide: () => (hideBob = true), pinned, code };
}

describe('acceptIdentity', () => {
  it('pins the devices whose number the user compared, given as the SafetyNumber or its digits', async () => {
    for (const given of ['object', 'digits'] as const) {
      const { client, bobClient, send, register, pinned, bob, code } = await setUp();
      await send();
      const tablet = await register('usr_bob');
      expect(await code(send())).toBe('E2EError:identity_changed');
      const number = await client.safetyNumber('usr_bob');
      expect(number.digits).toBe((await bobClient.safetyNumber('usr_ada')).digits);
      await client.acceptIdentity('usr_bob', given === 'object' ? number : number.digits.replace(/ /g, '-'));
      expect(await pinned()).toEqual([bob.id, tablet].sort());
      expect((await send()).envelopes.map((e) => e.deviceId)).toContain(tablet);
    }
  });

  it("another user's device in the user's listing: shown in no number, never pinned under the user", async () => {
    const { client, send, serverDevice, extra, pinned, bob, code, world } = await setUp();
    await send();
    extra.push(await serverDevice()); // listed for Bob, honestly labelled usr_srv
    const number = await client.safetyNumber('usr_bob');
    await client.acceptIdentity('usr_bob', number);
    expect(await pinned()).toEqual([bob.id]);
    // The chat listing then shows it as Bob's: a device added, blocked, nothing sealed to it.
    expect(await code(send())).toBe('E2EError:identity_changed');
    expect(world.messages.length).toBe(1);
  });

  it('a device added between the number and the accept: identity_changed, pins unchanged, nothing sealed to it', async () => {
    const { client, send, register, serverDevice, extra, pinned, bob, code, world } = await setUp();
    await send();
    await register('usr_bob'); // a real tablet: the change the user compares
    const number = await client.safetyNumber('usr_bob');
    extra.push({ ...(await serverDevice()), userId: 'usr_bob' });
    expect(await code(client.acceptIdentity('usr_bob', number))).toBe('E2EError:identity_changed');
    expect(await pinned()).toEqual([bob.id]);
    expect(await code(send())).toBe('E2EError:identity_changed');
    expect(world.messages.length).toBe(1);
  });

  it('a number the user did not see (another, or nothing read out): identity_changed, pins unchanged', async () => {
    const { client, send, register, pinned, bob, code } = await setUp();
    await send();
    await register('usr_bob');
    for (const wrong of ['1'.repeat(60), '']) expect(await code(client.acceptIdentity('usr_bob', wrong))).toBe('E2EError:identity_changed');
    // From JavaScript, or past the types: no number, or one without digits.
    for (const wrong of [undefined, null, {}, { digits: 5 }]) expect(await code(client.acceptIdentity('usr_bob', wrong as never))).toBe('E2EError:identity_changed');
    expect(await pinned()).toEqual([bob.id]);
  });

  it("an empty listing: refused, pins kept, so the server's keys for the user stay blocked", async () => {
    const { client, send, serverDevice, extra, pinned, bob, code, hide, world } = await setUp();
    await send();
    const number = await client.safetyNumber('usr_bob');
    hide();
    expect(await code(client.safetyNumber('usr_bob'))).toBe('resolved');
    expect(await code(client.acceptIdentity('usr_bob', number))).toBe('E2EError:bad_bundle');
    expect(await pinned()).toEqual([bob.id]);
    extra.push({ ...(await serverDevice()), userId: 'usr_bob' });
    expect(await code(send())).toBe('E2EError:identity_changed');
    expect(world.messages.length).toBe(1);
  });
});
