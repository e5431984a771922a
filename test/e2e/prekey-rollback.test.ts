// A signed pre-key rolled back: once this device has seen a device's pre-key id N under its pinned
// identity key, a listing of that device with an id below N (a bundle it replaced, still validly
// signed) is refused with bad_bundle, whatever the policy, and nothing is sealed; the highest id
// is kept with the pins, in the key store, so another client on the store refuses it too.
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../src/e2e/bytes.js';
import { createE2EClient, type E2EClient } from '../../src/e2e/client.js';
import { envelopeKeyId } from '../../src/e2e/envelope.js';
import { loadPins } from '../../src/e2e/trust.js';
import { E2EError } from '../../src/e2e/index.js';
import { adaAndBob, enrol } from './fake-api.js';

async function setUp() {
  const { world, ada, bob } = await adaAndBob();
  const bobDevice = world.devices.find((d) => d.id === bob.id)!;
  const first = structuredClone(bobDevice.signedPreKey);
  await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'before', contentType: 'text/plain' });
  await bob.device.rotateSignedPreKey(world.as('usr_bob'));
  /** The keyId Ada's `client` sealed Bob's envelope to, or the code it refused with; and how many messages reached the API. */
  const send = async (client: E2EClient = ada.client) => {
    const before = world.messages.length;
    try {
      const sent = await client.messages.send({ chatId: 'chat_1', plaintext: 'secret', contentType: 'text/plain' });
      return { sealedTo: envelopeKeyId(fromBase64(sent.envelopes.find((e) => e.deviceId === bob.id)!.header, 'header')), posted: world.messages.length - before };
    } catch (error) {
      if (!(error instanceof E2EError)) throw error;
      return { refused: error.code, message: error.message, posted: world.messages.length - before };
    }
  };
  return { world, ada, bob, bobDevice, first, send };
}

describe('signed pre-key rollback', () => {
  it('after pre-key 2 was listed, pre-key 1 listed again is bad_bundle and nothing is sent; pre-key 2 again is fine', async () => {
    const { ada, bob, bobDevice, first, send } = await setUp();
    expect(await send()).toEqual({ sealedTo: 2, posted: 1 });
    expect((await loadPins(ada.store, 'usr_bob')).get(bob.id)?.keyId).toBe(2);
    const second = bobDevice.signedPreKey;
    bobDevice.signedPreKey = first; // the server lists the replaced bundle again
    // Before: sealed to pre-key 1 with no error and no warning.
    expect(await send()).toEqual({ refused: 'bad_bundle', message: `bad_bundle: signed pre-key 1 of ${bob.id}, older than 2`, posted: 0 });
    bobDevice.signedPreKey = second;
    expect(await send()).toEqual({ sealedTo: 2, posted: 1 });
  });

  it('the highest id seen is kept in the key store: a new client on the store refuses the rollback, under either policy, and so do safety numbers', async () => {
    const { world, ada, bobDevice, first, send } = await setUp();
    await send();
    bobDevice.signedPreKey = first;
    for (const onIdentityChange of ['warn', 'block'] as const) {
      const fresh = createE2EClient(world.as('usr_ada'), ada.device, ada.store, { onIdentityChange });
      expect(await send(fresh)).toMatchObject({ refused: 'bad_bundle', posted: 0 });
    }
    await expect(ada.client.safetyNumber('usr_bob')).rejects.toMatchObject({ code: 'bad_bundle' });
  });

  it('a new identity key starts its own count: a swapped key with pre-key 1 is an identity change, not a rollback', async () => {
    const { world, ada, bob, bobDevice, send } = await setUp();
    await send();
    const mal = await enrol(world, 'usr_mal');
    const malDevice = world.devices.find((d) => d.id === mal.id)!;
    world.devices = world.devices.filter((d) => d !== malDevice);
    Object.assign(bobDevice, { identityKey: malDevice.identityKey, signedPreKey: malDevice.signedPreKey });
    expect(await send()).toEqual({ sealedTo: 1, posted: 1 });
    expect(ada.warnings).toEqual([{ userId: 'usr_bob', deviceId: bob.id, kind: 'key_changed' }]);
  });

  it('pins of an earlier release (no pre-key id) take the id listed next', async () => {
    const { ada, bob, send } = await setUp();
    await send();
    const stored = (await ada.store.get('coveton-e2e/pins/usr_bob')) as unknown[][];
    await ada.store.set('coveton-e2e/pins/usr_bob', stored.map((row) => row.slice(0, 4)));
    expect((await loadPins(ada.store, 'usr_bob')).get(bob.id)?.keyId).toBe(0);
    expect(await send()).toEqual({ sealedTo: 2, posted: 1 });
    expect((await loadPins(ada.store, 'usr_bob')).get(bob.id)?.keyId).toBe(2);
  });
});

describe("this device's own signed pre-key rolled back", () => {
  it('listed below the newest it published: bad_bundle, nothing sent; a rotation not yet published is no rollback', async () => {
    const { world, ada } = await adaAndBob();
    const adaDevice = world.devices.find((d) => d.id === ada.id)!;
    const first = structuredClone(adaDevice.signedPreKey);
    const send = () =>
      ada.client.messages.send({ chatId: 'chat_1', plaintext: 'secret', contentType: 'text/plain' }).then(
        (sent) => envelopeKeyId(fromBase64(sent.envelopes.find((e) => e.deviceId === ada.id)!.header, 'header')),
        (error: E2EError) => error.code,
      );
    // A rotation the API did not take stays pending: the listing's key 1 is still the newest published.
    const refusing = { ...world.as('usr_ada'), devices: { ...world.as('usr_ada').devices, rotateSignedPreKey: () => Promise.reject(new Error('down')) } };
    await expect(ada.device.rotateSignedPreKey(refusing)).rejects.toThrow('down');
    expect(await send()).toBe(1);
    await ada.device.rotateSignedPreKey(world.as('usr_ada'));
    expect(await send()).toBe(3);
    const posted = world.messages.length;
    adaDevice.signedPreKey = first;
    // Before: Ada sealed her own copy to her replaced key 1.
    expect(await send()).toBe('bad_bundle');
    expect(world.messages.length).toBe(posted);
  });
});
