// onIdentityChange fails closed: only 'warn' lets a change through. Every other shape a caller can
// pass (an async policy, a typo, a function answering nothing, one that throws) blocks, and nothing
// is sealed to the swapped key; an async 'warn' is awaited and lets it through.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { E2EError, type IdentityChange, type IdentityPolicy } from '../../src/e2e/index.js';
import { adaAndBob, enrol } from './fake-api.js';

/** Bob's client under `policy` sends once, the server swaps Ada's keys for Mallory's, Bob sends again. */
async function afterSwap(policy: unknown) {
  const { world, ada, bob } = await adaAndBob();
  const warned: IdentityChange[] = [];
  const client = createE2EClient(world.as('usr_bob'), bob.device, bob.store, { onIdentityChange: policy as IdentityPolicy, onWarning: (c) => warned.push(c) });
  await client.messages.send({ chatId: 'chat_1', plaintext: 'first contact', contentType: 'text/plain' });
  const mal = await enrol(world, 'usr_mal');
  const malDevice = world.devices.find((d) => d.id === mal.id)!;
  world.devices = world.devices.filter((d) => d !== malDevice);
  Object.assign(world.devices.find((d) => d.id === ada.id)!, { identityKey: malDevice.identityKey, signedPreKey: malDevice.signedPreKey });
  const posted = world.messages.length;
  try {
    await client.messages.send({ chatId: 'chat_1', plaintext: 'for Ada only', contentType: 'text/plain' });
    return { outcome: 'sent', posted: world.messages.length - posted, warned: warned.length, cause: undefined as unknown };
  } catch (error) {
    if (!(error instanceof E2EError)) throw error;
    return { outcome: error.code, posted: world.messages.length - posted, warned: warned.length, cause: error.cause };
  }
}

const blocked = { outcome: 'identity_changed', posted: 0, warned: 0 };

describe('onIdentityChange fails closed', () => {
  it.each([
    ['an async policy answering block', async () => 'block'],
    ["'BLOCK' (a JavaScript caller's typo)", 'BLOCK'],
    ['a policy answering undefined', () => undefined],
    ['a policy answering a Promise of something else', async () => 'allow'],
    ["'block'", 'block'],
    ["a policy answering 'block'", () => 'block'],
  ])('%s: identity_changed, nothing sent, no warning', async (_, policy) => {
    // Before: the first four sent to the swapped key with one warning.
    expect(await afterSwap(policy)).toMatchObject(blocked);
  });

  it('a policy that throws blocks, its error the cause', async () => {
    const oops = new Error('policy failed');
    expect(
      await afterSwap(() => {
        throw oops;
      }),
    ).toEqual({ ...blocked, cause: oops });
  });

  it.each([
    ["'warn'", 'warn'],
    ["a policy answering 'warn'", () => 'warn'],
    ["an async policy answering 'warn' (awaited)", async () => 'warn'],
  ])('%s: sent, one warning', async (_, policy) => {
    expect(await afterSwap(policy)).toMatchObject({ outcome: 'sent', posted: 1, warned: 1 });
  });
});
