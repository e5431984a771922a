// Devices and their key bundles on the mock, over plain HTTP: registration verifies the signed
// pre-key, rotation by the device's owner only, removal keeps the device listed with
// `removedAt`, the bundles of a chat for its participants only, a user's bundles for their
// contacts only, and messages and files kept exactly as sent. Each refusal is asserted with its
// exact status, code and reason.
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { exampleSeed } from '../../src/mock/seed-examples.js';
import { deviceKeyBundle, identityKeyPair, signPreKey } from '../../src/tools/device-keys.js';
import { conflict, httpClient, NOT_FOUND, outcome, PEOPLE, peopleSeed, type Json, type Person } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ seed: peopleSeed() });
const { call, control, signIn } = httpClient(() => mock().url);
const { ada, cy, dan } = PEOPLE;
const bob: Person = { id: SEED.bob.userId, email: SEED.bob.email, password: SEED.bob.password };
const tokenOf = async (p: Person) => (await signIn(p)).accessToken;
// The devices the docs' examples name (src/mock/seed-examples.ts) are seeded too; these tests
// follow the quickstart's and Bob's, so the example devices are left out of the lists compared.
const EXAMPLE_DEVICES = new Set(exampleSeed().devices!.map((d) => d.id as string));
const ids = (list: Json) => (list as Json[]).map((d) => d.id).filter((id: string) => !EXAMPLE_DEVICES.has(id));

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

describe('registration verifies the bundle', () => {
  it('a real bundle is registered with suites [1] and no removedAt; its identity key a second time is 409', async () => {
    const adaT = await tokenOf(ada);
    const bundle = deviceKeyBundle();
    const created = await call('POST', '/devices', { token: adaT, body: { name: 'Tablet', platform: 'web', ...bundle } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userId: ada.id, suites: [1], removedAt: null, ...bundle });
    expect(outcome(await call('POST', '/devices', { token: adaT, body: { name: 'Again', platform: 'web', ...bundle } }))).toEqual(conflict('identity_key_taken'));
  });

  it("a signed pre-key signed by another identity key, or under another key id, is 422 signed_pre_key_invalid naming why", async () => {
    const adaT = await tokenOf(ada);
    const mine = deviceKeyBundle();
    const theirs = deviceKeyBundle();
    for (const signedPreKey of [theirs.signedPreKey, { ...mine.signedPreKey, keyId: 9 }]) {
      const answer = await call('POST', '/devices', { token: adaT, body: { name: 'Forged', platform: 'web', identityKey: mine.identityKey, signedPreKey } });
      expect(outcome(answer)).toEqual({ status: 422, code: 'VALIDATION', reason: 'signed_pre_key_invalid' });
      expect(answer.body.error.details).toEqual([
        { path: 'body', message: 'signedPreKey.signature does not verify: it must be the identity key\'s Ed25519 signature over "coveton-e2e/v1/spk" || u32 keyId || signedPreKey.publicKey' },
      ]);
    }
    // Keys without their algorithm tag never reach the check: the contract's patterns refuse them.
    const untagged = Buffer.from(mine.identityKey, 'base64');
    untagged[0] = 0x05;
    const answer = await call('POST', '/devices', { token: adaT, body: { name: 'Untagged', platform: 'web', ...mine, identityKey: untagged.toString('base64') } });
    expect(outcome(answer)).toEqual({ status: 422, code: 'VALIDATION', reason: undefined });
    expect(answer.body.error.details.map((d: Json) => d.path)).toEqual(['identityKey']);
    expect(ids((await call('GET', '/devices', { token: adaT })).body)).toEqual(['dev_b2', 'dev_a1']);
  });
});

describe('rotation of the signed pre-key', () => {
  it('the owner rotates to a higher key id; the same key again is 200; an older id 409; a bad signature 422; others 404', async () => {
    const [adaT, bobT] = [await tokenOf(ada), await tokenOf(bob)];
    const identity = identityKeyPair();
    const device = await call('POST', '/devices', { token: adaT, body: { name: 'Rotating', platform: 'web', identityKey: identity.identityKey, signedPreKey: signPreKey(identity.privateKey, 5) } });
    const path = `/devices/${device.body.id}/signed-pre-key`;
    const next = signPreKey(identity.privateKey, 6);
    const rotated = await call('PUT', path, { token: adaT, body: next });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signedPreKey).toEqual(next);
    expect((await call('PUT', path, { token: adaT, body: next })).status).toBe(200);
    expect(outcome(await call('PUT', path, { token: adaT, body: signPreKey(identity.privateKey, 6) }))).toEqual(conflict('signed_pre_key_not_newer'));
    expect(outcome(await call('PUT', path, { token: adaT, body: signPreKey(identity.privateKey, 4) }))).toEqual(conflict('signed_pre_key_not_newer'));
    expect(outcome(await call('PUT', path, { token: adaT, body: signPreKey(identityKeyPair().privateKey, 7) }))).toEqual({ status: 422, code: 'VALIDATION', reason: 'signed_pre_key_invalid' });
    expect(outcome(await call('PUT', path, { token: bobT, body: signPreKey(identity.privateKey, 8) }))).toEqual(NOT_FOUND);
    const bundles = (await call('GET', `/chats/${SEED.chatId}/devices`, { token: bobT })).body as Json[];
    expect(bundles.find((d) => d.id === device.body.id)!.signedPreKey).toEqual(next);
    // Removed, it can no longer rotate.
    expect((await call('DELETE', `/devices/${device.body.id}`, { token: adaT })).status).toBe(204);
    expect(outcome(await call('PUT', path, { token: adaT, body: signPreKey(identity.privateKey, 9) }))).toEqual(NOT_FOUND);
  });
});

describe("a chat's bundles and a user's bundles", () => {
  it("every device of every participant in one call, the removed one with removedAt; outsiders 404", async () => {
    const [adaT, bobT, danT] = [await tokenOf(ada), await tokenOf(bob), await tokenOf(dan)];
    const before = await call('GET', `/chats/${SEED.chatId}/devices`, { token: adaT });
    expect(before.status).toBe(200);
    expect(ids(before.body).sort()).toEqual(['dev_BobLaptop1', 'dev_BobPhone1', 'dev_a1', 'dev_b2']);
    expect((before.body as Json[]).every((d) => d.removedAt === null && d.suites[0] === 1)).toBe(true);

    expect((await call('DELETE', '/devices/dev_BobLaptop1', { token: bobT })).status).toBe(204);
    const after = (await call('GET', `/chats/${SEED.chatId}/devices`, { token: adaT })).body as Json[];
    expect(after.map((d) => [d.id, d.removedAt === null])).toEqual(before.body.map((d: Json) => [d.id, d.id !== 'dev_BobLaptop1']));
    // Gone from the owner's own list and from the chat's routing, and it cannot be removed twice.
    expect(ids((await call('GET', '/devices', { token: bobT })).body)).toEqual(['dev_BobPhone1']);
    const chat = await call('GET', `/chats/${SEED.chatId}`, { token: adaT });
    expect(chat.body.participants.find((p: Json) => p.userId === bob.id).deviceIds).toEqual(['dev_BobPhone1']);
    expect(outcome(await call('DELETE', '/devices/dev_BobLaptop1', { token: bobT }))).toEqual(NOT_FOUND);
    // Its identity key stays taken.
    const laptop = after.find((d) => d.id === 'dev_BobLaptop1')!;
    expect(outcome(await call('POST', '/devices', { token: bobT, body: { name: 'Back', platform: 'web', identityKey: laptop.identityKey, signedPreKey: laptop.signedPreKey } }))).toEqual(conflict('identity_key_taken'));

    expect(outcome(await call('GET', `/chats/${SEED.chatId}/devices`, { token: danT }))).toEqual(NOT_FOUND);
    expect(outcome(await call('GET', '/chats/chat_NoSuchChat/devices', { token: adaT }))).toEqual(NOT_FOUND);
    expect(((await call('GET', `/chats/${SEED.chatId}/devices?limit=2`, { token: adaT })).body as Json[]).map((d) => d.id)).toEqual(before.body.slice(0, 2).map((d: Json) => d.id));
  });

  it("a user's devices: to themself and to who shares a chat or an organization with them; 404 to anyone else", async () => {
    const [adaT, bobT, cyT, danT] = [await tokenOf(ada), await tokenOf(bob), await tokenOf(cy), await tokenOf(dan)];
    const read = (token: string, user: string) => call('GET', `/users/${user}/devices`, { token });
    expect(ids((await read(adaT, bob.id)).body)).toEqual(['dev_BobLaptop1', 'dev_BobPhone1']); // a chat
    expect(ids((await read(bobT, bob.id)).body)).toEqual(['dev_BobLaptop1', 'dev_BobPhone1']); // themself
    expect(ids((await read(cyT, ada.id)).body)).toEqual(['dev_b2', 'dev_a1']); // the organization
    expect(outcome(await read(cyT, bob.id))).toEqual(NOT_FOUND); // no chat, no organization in common
    expect(outcome(await read(danT, ada.id))).toEqual(NOT_FOUND);
    expect(outcome(await read(adaT, 'usr_NoSuchUser'))).toEqual(NOT_FOUND);
  });
});

describe('messages and files exactly as sent', () => {
  it('ciphertext, envelopes and the named sender device come back verbatim; a foreign device 404, a removed one 409', async () => {
    const [adaT, bobT] = [await tokenOf(ada), await tokenOf(bob)];
    const body = {
      chatId: SEED.chatId,
      contentType: 'application/octet-stream',
      senderDeviceId: 'dev_BobPhone1',
      ciphertext: randomBytes(3000).toString('base64url'),
      envelopes: ['dev_a1', 'dev_b2', 'dev_BobLaptop1'].map((deviceId) => ({ deviceId, header: randomBytes(87).toString('base64url') })),
    };
    const sent = await call('POST', '/messages', { token: bobT, body });
    expect(sent.status).toBe(201);
    const listed = ((await call('GET', `/chats/${SEED.chatId}/messages`, { token: adaT })).body as Json[]).find((m) => m.id === sent.body.id)!;
    expect({ chatId: listed.chatId, contentType: listed.contentType, senderDeviceId: listed.senderDeviceId, ciphertext: listed.ciphertext, envelopes: listed.envelopes }).toEqual(body);
    expect(listed.senderId).toBe(bob.id);

    expect(outcome(await call('POST', '/messages', { token: bobT, body: { ...body, senderDeviceId: 'dev_a1' } }))).toEqual(NOT_FOUND);
    expect((await call('DELETE', '/devices/dev_BobLaptop1', { token: bobT })).status).toBe(204);
    expect(outcome(await call('POST', '/messages', { token: bobT, body: { ...body, senderDeviceId: 'dev_BobLaptop1' } }))).toEqual(conflict('device_removed'));
  });

  it('a file of every byte value downloads byte for byte', async () => {
    const adaT = await tokenOf(ada);
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
    const presign = await call('POST', '/files/presign', { token: adaT, body: { filename: 'x.enc', contentType: 'application/octet-stream', size: bytes.length } });
    expect((await fetch(presign.body.uploadUrl, { method: 'PUT', body: bytes })).status).toBe(200);
    const link = await call('GET', `/files/${presign.body.fileId}/download`, { token: adaT });
    expect(Buffer.from(await (await fetch(link.body.url)).arrayBuffer()).equals(bytes)).toBe(true);
  });
});
