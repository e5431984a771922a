// A removal's date, as this device pins it. The server dates both a removal and the messages, so
// the first listing that shows a pinned device removed dates it, later listings move that date
// only earlier, and a removed device never comes back. Re-dated to just after each message, a
// removed key (a stolen phone, or a device of the server's own pinned at first use) wrote as its
// user for ever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createE2EClient, type E2EClient } from '../../src/e2e/client.js';
import { loadPins } from '../../src/e2e/trust.js';
import type { IdentityChange } from '../../src/e2e/index.js';
import { adaAndBob, enrol, hiding } from './fake-api.js';

const MINUTE = 60_000;

const opened = (work: Promise<{ text?: string }>) => work.then((m) => `opened: ${m.text}`, (e: { name?: string; code?: string }) => `${e.name}:${e.code}`);
const send = (client: E2EClient, text = 'hi') => client.messages.send({ chatId: 'chat_1', plaintext: text, contentType: 'text/plain' });

/**
 * Ada and Bob, and a second device under usr_bob (Bob's phone, or the server's own) that Ada's
 * client, under `policy`, pinned active at first contact.
 */
async function pinnedPhone(policy: 'block' | 'warn' = 'block') {
  const { world, ada, bob } = await adaAndBob();
  const phone = await enrol(world, 'usr_bob');
  const warnings: IdentityChange[] = [];
  const client = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange: policy, onWarning: (c) => warnings.push(c) });
  await send(client);
  const row = world.devices.find((d) => d.id === phone.id)!;
  /** The phone's removedAt in every listing from now on: a date (ms), null, or the time of each listing. */
  const listRemoved = (at: number | null | 'each listing') =>
    Object.defineProperty(row, 'removedAt', {
      get: () => (at === 'each listing' ? new Date().toISOString() : at === null ? null : new Date(at).toISOString()),
      enumerable: true,
      configurable: true,
    });
  const pinnedAt = async () => (await loadPins(ada.store, 'usr_bob')).get(phone.id)?.removedAt;
  /** A message from the phone signed and stored at `at` (ms), as a thief or the server dates it. */
  const phoneAt = async (at: number, text: string) => {
    vi.spyOn(Date, 'now').mockReturnValue(at);
    const message = await send(phone.client, text);
    vi.restoreAllMocks();
    return { ...message, createdAt: new Date(at).toISOString() };
  };
  return { world, ada, bob, phone, client, warnings, listRemoved, pinnedAt, phoneAt };
}

afterEach(() => vi.restoreAllMocks());

describe('a pinned device listed removed', () => {
  it('a stolen phone: the removal re-dated to each listing keeps its pinned date, so what the thief signs now is device_removed', async () => {
    const { client, phone, listRemoved, pinnedAt } = await pinnedPhone();
    const removedAt = Date.now() - MINUTE;
    listRemoved(removedAt);
    await send(client); // Ada's device sees the removal
    expect(await pinnedAt()).toBe(removedAt);
    expect(await opened(client.messages.decrypt(await send(phone.client, 'after removal')))).toBe('E2EError:device_removed');
    listRemoved('each listing');
    // This message opened before: each listing dated the removal just after it.
    expect(await opened(client.messages.decrypt(await send(phone.client, 're-dated')))).toBe('E2EError:device_removed');
    expect(await pinnedAt()).toBe(removedAt);
  });

  it('a later listing moves the pinned date earlier, never later', async () => {
    const { client, listRemoved, pinnedAt, phoneAt } = await pinnedPhone();
    const removedAt = Date.now() - MINUTE;
    listRemoved(removedAt);
    await send(client);
    const between = await phoneAt(removedAt - MINUTE, 'signed between the two dates');
    listRemoved(removedAt - 2 * MINUTE);
    await send(client);
    expect(await pinnedAt()).toBe(removedAt - 2 * MINUTE);
    listRemoved(removedAt);
    await send(client);
    expect(await opened(client.messages.decrypt(between))).toBe('E2EError:device_removed');
    expect(await pinnedAt()).toBe(removedAt - 2 * MINUTE);
  });

  it('listed active again: it stays removed (no change for the policy, nothing sealed to it, out of the number, its messages refused)', async () => {
    for (const policy of ['block', 'warn'] as const) {
      const { client, phone, warnings, listRemoved, pinnedAt } = await pinnedPhone(policy);
      const removedAt = Date.now() - MINUTE;
      listRemoved(removedAt);
      await send(client);
      const number = (await client.safetyNumber('usr_bob')).digits;
      listRemoved(null);
      // Under 'block' this send failed with identity_changed before (device_added); under 'warn' it sealed to the phone.
      expect((await send(client)).envelopes.map((e) => e.deviceId)).not.toContain(phone.id);
      expect([policy, warnings]).toEqual([policy, []]);
      expect((await client.safetyNumber('usr_bob')).digits).toBe(number);
      expect(await opened(client.messages.decrypt(await send(phone.client, 'back again')))).toBe('E2EError:device_removed');
      expect(await pinnedAt()).toBe(removedAt);
    }
  });
});

describe("a device of the server's own, pinned at first contact, listed removed before the numbers are compared", () => {
  it("before the accept, only what is dated before the removal this device first saw opens; after it, nothing it signs opens", async () => {
    const { world, ada, bob, client, phone: evil, listRemoved, pinnedAt, phoneAt } = await pinnedPhone();
    const bobClient = createE2EClient(hiding(world.as('usr_bob'), () => evil.id), bob.device, bob.store, { onIdentityChange: 'block' });
    listRemoved('each listing');
    const number = await client.safetyNumber('usr_bob'); // Ada's device sees the removal, and dates it
    const firstSeen = (await pinnedAt())!;
    expect(number.digits).toBe((await bobClient.safetyNumber('usr_ada')).digits);
    // Trust on first use, before any comparison: what the pinned key dates before that removal opens.
    expect(await opened(client.messages.decrypt(await phoneAt(firstSeen - MINUTE, 'backdated')))).toBe('opened: backdated');
    // This message opened before: the removal was dated at each listing, after it.
    expect(await opened(client.messages.decrypt(await send(evil.client, 'wire the money')))).toBe('E2EError:device_removed');
    await client.acceptIdentity('usr_bob', number);
    // Its key was in no number the two people compared: the accept drops its pin.
    expect([...(await loadPins(ada.store, 'usr_bob')).keys()]).toEqual([bob.id]);
    expect(await opened(client.messages.decrypt(await phoneAt(firstSeen - MINUTE, 'backdated again')))).toBe('E2EError:device_removed');
    expect(await opened(client.messages.decrypt(await send(evil.client, 'wire it now')))).toBe('E2EError:device_removed');
  });
});

describe('pins stored before pins kept removal dates ([deviceId, key, true])', () => {
  /** Bob's phone pinned at first contact, then stored in the old form as removed, without a date. */
  async function oldForm() {
    const setUp = await pinnedPhone();
    const stored = (await setUp.ada.store.get('coveton-e2e/pins/usr_bob')) as [string, string][];
    await setUp.ada.store.set('coveton-e2e/pins/usr_bob', stored.map(([id, key]) => [id, key, id === setUp.phone.id]));
    return setUp;
  }

  it('the next listing that shows it removed dates it, and that date stands', async () => {
    const { client, phone, listRemoved, pinnedAt } = await oldForm();
    const removedAt = Date.now() - MINUTE;
    listRemoved(removedAt);
    await send(client);
    expect(await pinnedAt()).toBe(removedAt);
    listRemoved('each listing');
    expect(await opened(client.messages.decrypt(await send(phone.client, 're-dated')))).toBe('E2EError:device_removed');
    expect(await pinnedAt()).toBe(removedAt);
  });

  it('listed active: dated at that listing, and stays removed', async () => {
    const { client, phone, listRemoved, pinnedAt } = await oldForm();
    listRemoved(null);
    const listedAt = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(listedAt);
    expect((await send(client)).envelopes.map((e) => e.deviceId)).not.toContain(phone.id);
    vi.restoreAllMocks();
    expect(await pinnedAt()).toBe(listedAt);
    const after = { ...(await send(phone.client)), createdAt: new Date(listedAt + 1).toISOString() };
    expect(await opened(client.messages.decrypt(after))).toBe('E2EError:device_removed');
  });
});
