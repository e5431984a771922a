// Pins are one store's, read, changed and written by every call that lists devices and by
// acceptIdentity. Unordered, a check that read a user's pins before an accept saved them saved
// after it and put back a device the accept dropped; a client's cache of listed devices answered
// with its own removal date while another client on the store had pinned an earlier one; and
// pins of the first stored form were read as none, so the next listing was first use again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createE2EClient, type E2EClient } from '../../src/e2e/client.js';
import { loadPins } from '../../src/e2e/trust.js';
import type { KeyStore } from '../../src/e2e/store.js';
import type { SafetyNumber } from '../../src/e2e/safety.js';
import type { E2EApi } from '../../src/e2e/api.js';
import { adaAndBob, enrol, hiding } from './fake-api.js';

const MINUTE = 60_000;
const BOB = 'coveton-e2e/pins/usr_bob';

const opened = (work: Promise<{ text?: string }>) => work.then((m) => `opened: ${m.text}`, (e: { name?: string; code?: string }) => `${e.name}:${e.code}`);
const send = (client: E2EClient, text = 'hi') => client.messages.send({ chatId: 'chat_1', plaintext: text, contentType: 'text/plain' });
afterEach(() => vi.restoreAllMocks());

/**
 * `inner` with one read of Bob's pins answered late (a slow disk): once acceptIdentity has written
 * them, or, since an accept now waits for that read's check to save, a while after it began.
 */
function slowStore(inner: KeyStore) {
  let armed = false;
  let accepting = false;
  let release!: () => void;
  let taken!: () => void;
  const answered = new Promise<void>((r) => (release = r));
  const read = new Promise<void>((r) => (taken = r));
  const store: KeyStore = {
    get: async (name) => {
      const value = structuredClone(await inner.get(name));
      if (armed && name === BOB) (armed = false), taken(), await answered;
      return value;
    },
    set: async (name, value) => {
      await inner.set(name, value);
      if (name === BOB && accepting) release();
    },
    delete: (name) => inner.delete(name),
  };
  return {
    store,
    /**
     * A send of `client` reads Bob's pins, then `client` accepts `number` (after `meanwhile`), and
     * the send's read is answered late.
     */
    async race(client: E2EClient, number: SafetyNumber, meanwhile = () => {}) {
      armed = true;
      const racing = send(client);
      await read;
      accepting = true;
      // Ordering only: the outcome asserted is the same whichever of the two answers the read.
      setTimeout(release, 1500);
      meanwhile();
      await client.acceptIdentity('usr_bob', number);
      accepting = false;
      await racing;
    },
  };
}

describe('pins under concurrent calls', () => {
  it("a send whose check read Bob's pins before an accept saved them no longer puts back the active device the accept dropped", async () => {
    const { world, ada, bob } = await adaAndBob();
    const x = await enrol(world, 'usr_bob'); // the server's, listed active to chats only
    const z = await enrol(world, 'usr_bob'); // the server's, listed removed in the racing listing
    const slow = slowStore(ada.store);
    const adaApi = world.as('usr_ada');
    const forUser = hiding(hiding(adaApi, () => x.id), () => z.id);
    let chatHides = '';
    const forChat = hiding(adaApi, () => chatHides);
    const api = { ...adaApi, devices: { ...adaApi.devices, listForUser: forUser.devices.listForUser, listForChat: forChat.devices.listForChat } } as E2EApi;
    const client = createE2EClient(api as never, ada.device, slow.store, { onIdentityChange: 'block' });
    await send(client); // first contact: Bob, x and z pinned active, not compared
    const w = await enrol(world, 'usr_bob'); // Bob's new phone: blocked until compared
    expect(await send(client).then(() => 'sent', (e: { code?: string }) => e.code)).toBe('identity_changed');
    const bobClient = createE2EClient(hiding(hiding(world.as('usr_bob'), () => x.id), () => z.id), bob.device, bob.store, { onIdentityChange: 'block' });
    const number = await client.safetyNumber('usr_bob');
    expect(number.digits).toBe((await bobClient.safetyNumber('usr_ada')).digits);
    // The racing chat listing leaves the new phone out and shows z removed: a change to save, no block.
    world.devices.find((d) => d.id === z.id)!.removedAt = new Date(Date.now() - MINUTE).toISOString();
    chatHides = w.id;
    await slow.race(client, number);
    // Before: x was pinned active again, Ada's next send was sealed to it and its message opened.
    const pins = await loadPins(ada.store, 'usr_bob');
    expect([...pins.keys()].sort()).toEqual([bob.device.id, w.id].sort());
    // The racing send cached x after the accept emptied the cache: the store's pins refuse it.
    expect(await opened(client.messages.decrypt(await send(x.client, 'wire the money now')))).toBe('E2EError:identity_changed');
    chatHides = '';
    expect(await send(client).then(() => 'sent', (e: { code?: string }) => e.code)).toBe('identity_changed');
    chatHides = x.id;
    expect((await send(client)).envelopes.map((e) => e.deviceId).sort()).toEqual([ada.device.id, bob.device.id, w.id].sort());
  });

  it("a removal date saved by a check that read the pins before the accept: the accept's drop of a first-contact device stands", async () => {
    const { world, ada, bob } = await adaAndBob();
    const evil = await enrol(world, 'usr_bob');
    const slow = slowStore(ada.store);
    const client = createE2EClient(world.as('usr_ada'), ada.device, slow.store, { onIdentityChange: 'block' });
    await send(client); // first contact: Bob and evil pinned
    const row = world.devices.find((d) => d.id === evil.id)!;
    const R = Date.now() - MINUTE;
    row.removedAt = new Date(R).toISOString();
    await send(client); // evil pinned removed at R, not compared
    const bobClient = createE2EClient(hiding(world.as('usr_bob'), () => evil.id), bob.device, bob.store, { onIdentityChange: 'block' });
    const number = await client.safetyNumber('usr_bob');
    expect(number.digits).toBe((await bobClient.safetyNumber('usr_ada')).digits);
    row.removedAt = new Date(R - 1).toISOString(); // moved earlier: the racing check has a pin to write
    await slow.race(client, number);
    // Before: evil was pinned again (removed at R - 1) and its backdated message opened.
    expect([...(await loadPins(ada.store, 'usr_bob'))]).toEqual([[bob.device.id, expect.objectContaining({ removedAt: null, compared: true })]]);
    vi.spyOn(Date, 'now').mockReturnValue(R - 10 * MINUTE);
    const backdated = await send(evil.client, 'signed by a key no compared number showed');
    vi.restoreAllMocks();
    expect(await opened(client.messages.decrypt({ ...backdated, createdAt: new Date(R - 10 * MINUTE).toISOString() }))).toBe('E2EError:device_removed');
  });

  it("an accept that waits for such a check pins from the pins that check saved: a removal it dated earlier stays (passed before too; a queue alone would lose it)", async () => {
    const { world, ada } = await adaAndBob();
    const phone = await enrol(world, 'usr_bob');
    const slow = slowStore(ada.store);
    const client = createE2EClient(world.as('usr_ada'), ada.device, slow.store, { onIdentityChange: 'block' });
    await send(client);
    const number = await client.safetyNumber('usr_bob');
    await client.acceptIdentity('usr_bob', number); // Bob and the phone compared
    const R = Date.now() - MINUTE;
    const row = world.devices.find((d) => d.id === phone.id)!;
    row.removedAt = new Date(R).toISOString();
    const after = await client.safetyNumber('usr_bob'); // pins the removal at R
    row.removedAt = new Date(R - MINUTE).toISOString();
    // The send's check dates the removal earlier; the accept's listing shows the later date.
    await slow.race(client, after, () => void (row.removedAt = new Date(R).toISOString()));
    expect((await loadPins(ada.store, 'usr_bob')).get(phone.id)).toEqual({ key: expect.any(String), removedAt: R - MINUTE, compared: true, keyId: 1 });
  });

  it("a client's cached device answers only as far as the store's pin agrees: another client's pinned removal holds it", async () => {
    const { world, ada } = await adaAndBob();
    const phone = await enrol(world, 'usr_bob');
    const tab1 = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: 'block' });
    const tab2 = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: 'block' });
    const t0 = Date.now();
    await send(tab1); // tab 1 caches the phone, active
    const R = Date.now() + 1;
    vi.spyOn(Date, 'now').mockReturnValue(R + MINUTE);
    world.devices.find((d) => d.id === phone.id)!.removedAt = new Date(R).toISOString();
    await send(tab2); // tab 2, on the same store, pins the removal at R
    expect((await loadPins(ada.store, 'usr_bob')).get(phone.id)?.removedAt).toBe(R);
    const stolen = await send(phone.client, 'signed after the pinned removal');
    const message = { ...stolen, createdAt: new Date(t0 - MINUTE).toISOString() }; // only the server's date backdated
    expect(await opened(tab2.messages.decrypt(message))).toBe('E2EError:device_removed');
    // Before: tab 1's cached listing (active) answered, and it opened.
    expect(await opened(tab1.messages.decrypt(message))).toBe('E2EError:device_removed');
  });

  it("pins of the first stored form ({ deviceId: key }) under 'block': a device the server adds is a change, not first use", async () => {
    const { world, ada, bob } = await adaAndBob();
    const client = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: 'block' });
    await send(client);
    const stored = (await ada.store.get(BOB)) as [string, string][];
    await ada.store.set(BOB, Object.fromEntries(stored.map(([id, key]) => [id, key])));
    const evil = await enrol(world, 'usr_bob');
    // Before: read as no pins, evil was pinned silently, sealed to, and its message opened.
    expect(await send(client).then(() => 'sent', (e: { code?: string }) => e.code)).toBe('identity_changed');
    expect(await opened(client.messages.decrypt(await send(evil.client, 'wire the money')))).toBe('E2EError:identity_changed');
    expect([...(await loadPins(ada.store, 'usr_bob'))]).toEqual([[bob.device.id, { key: expect.any(String), removedAt: null, compared: false, keyId: 0 }]]);
  });
});
