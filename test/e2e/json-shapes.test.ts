// Every field of the server's JSON that the e2e entry reads (stored messages, their envelopes,
// device bundles) is checked for type where it comes in: a wrong type is E2EError 'malformed'
// naming the field, never a TypeError from deep inside, and nothing is sealed or opened.
import { describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { memoryKeyStore } from '../../src/e2e/index.js';
import { adaAndBob } from './fake-api.js';

const SECRET = 'the launch code is 0000';
type Json = Record<string, unknown>;

async function setUp() {
  const { world, ada, bob } = await adaAndBob();
  const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
  return { world, ada, bob, sent };
}

/** `E2EError:code message`, or the name of anything else thrown; a test failure if it resolves. */
const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'resolved',
    (e: { name?: string; code?: string; message?: string }) => (e?.name === 'E2EError' ? `${e.code}: ${e.message}` : `raw ${e?.name}`),
  );

const messages: [string, (m: Json) => unknown][] = [
  ['envelopes', (m) => (m.envelopes = null)],
  ['envelopes', (m) => (m.envelopes = {})],
  ['envelopes', (m) => (m.envelopes = 'x')],
  ['envelopes.0', (m) => (m.envelopes = [null, ...(m.envelopes as unknown[])])],
  ['envelopes.0.header', (m) => (m.envelopes = (m.envelopes as Json[]).map((e) => ({ ...e, header: 123 })))],
  ['envelopes.0.header', (m) => (m.envelopes = (m.envelopes as Json[]).map((e) => ({ ...e, header: null })))],
  ['envelopes.0.deviceId', (m) => (m.envelopes = (m.envelopes as Json[]).map((e) => ({ ...e, deviceId: 5 })))],
  ['ciphertext', (m) => (m.ciphertext = null)],
  ['ciphertext', (m) => (m.ciphertext = ['x'])],
  ['contentType', (m) => (m.contentType = null)],
  ['chatId', (m) => (m.chatId = 5)],
  ['senderDeviceId', (m) => (m.senderDeviceId = {})],
  ['senderId', (m) => delete m.senderId],
  ['id', (m) => (m.id = 7)],
  ['createdAt', (m) => (m.createdAt = 5)],
  ['expiresAt', (m) => (m.expiresAt = 5)],
];

const bundles: [string, (d: Json) => unknown][] = [
  ['signedPreKey', (d) => (d.signedPreKey = null)],
  ['signedPreKey', (d) => delete d.signedPreKey],
  ['identityKey', (d) => (d.identityKey = null)],
  ['identityKey', (d) => (d.identityKey = 7)],
  ['signedPreKey.publicKey', (d) => (d.signedPreKey = { ...(d.signedPreKey as Json), publicKey: null })],
  ['signedPreKey.signature', (d) => (d.signedPreKey = { ...(d.signedPreKey as Json), signature: {} })],
  ['signedPreKey.keyId', (d) => (d.signedPreKey = { ...(d.signedPreKey as Json), keyId: '1' })],
  ['signedPreKey.keyId', (d) => (d.signedPreKey = { ...(d.signedPreKey as Json), keyId: 1.5 })],
  ['signedPreKey.keyId', (d) => (d.signedPreKey = { ...(d.signedPreKey as Json), keyId: -1 })],
  ['removedAt', (d) => (d.removedAt = 5)],
  ['id', (d) => (d.id = 5)],
];

describe('server JSON of the wrong type', () => {
  it('in a stored message or its envelopes: malformed naming the field, nothing opened', async () => {
    const { bob, sent } = await setUp();
    const got: string[] = [];
    for (const [, mutate] of messages) {
      const m = structuredClone(sent) as unknown as Json;
      mutate(m);
      got.push(await outcome(bob.client.messages.decrypt(m as never)));
    }
    expect(got).toEqual(messages.map(([field]) => `malformed: malformed: message.${field}`));
    expect(await outcome(bob.client.messages.decrypt(null as never))).toBe('malformed: malformed: message');
    expect((await bob.client.messages.decrypt(sent)).text).toBe(SECRET);
  });

  it('in a device bundle, sending, reading and for a safety number: malformed naming the field, nothing sealed', async () => {
    const { world, ada, bob, sent } = await setUp();
    const entry = world.devices.find((d) => d.id === bob.id)! as unknown as Json;
    const keep = structuredClone(entry);
    const got: string[] = [];
    for (const [, mutate] of bundles) {
      for (const k of Object.keys(entry)) delete entry[k];
      Object.assign(entry, structuredClone(keep));
      mutate(entry);
      got.push(await outcome(ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' })));
    }
    expect(got).toEqual(bundles.map(([field]) => `malformed: malformed: device.${field}`));
    // Bob has never listed the chat: his first listing meets the bundle as he opens a message.
    expect(await outcome(bob.client.messages.decrypt(sent))).toBe('malformed: malformed: device.id');
    expect(await outcome(ada.client.safetyNumber('usr_bob'))).toBe('malformed: malformed: device.id');
    Object.assign(entry, keep);
    const api = world.as('usr_ada');
    // Entries the fake world would not list: null, and a user id that is not a string.
    for (const [extra, expected] of [[null, 'device'], [{ ...keep, userId: ['usr_bob'] }, 'device.userId']] as const) {
      const listForChat = async function* (chatId: string) {
        yield* api.devices.listForChat(chatId);
        yield extra as never;
      };
      const client = createE2EClient({ ...api, devices: { ...api.devices, listForChat } }, ada.device, memoryKeyStore());
      expect(await outcome(client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' }))).toBe(`malformed: malformed: ${expected}`);
    }
    expect(world.messages.length).toBe(1);
  });
});
