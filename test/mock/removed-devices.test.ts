// A removed device takes no part in new chats: a chat created after the removal does not route to
// it, and a message without `senderDeviceId` records an active device of the sender. A sender
// with no active device left gets the spec's answer for a sender device that is not theirs: 404.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { NOT_FOUND, PEOPLE, httpClient, outcome, type Json } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, control, signIn } = httpClient(() => mock().url);
// Ada's devices, newest first: two of the spec's examples, then the quickstart's two.
const ADA_DEVICES = ['dev_a4Tb20', 'dev_a1Xk93', 'dev_b2', 'dev_a1'];
const deviceIdsOf = (chat: Json, userId: string) => chat.participants.find((p: Json) => p.userId === userId)?.deviceIds;
const sealedForBob = (chatId: string) => ({ chatId, contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: 'dev_BobPhone1', header: 'QUJD' }] });

describe('removed devices and new chats', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));

  it('a new chat lists only active devices, and the default sender device is an active one', async () => {
    const { accessToken: token } = await signIn(PEOPLE.ada);
    expect((await call('DELETE', '/devices/dev_a4Tb20', { token })).status).toBe(204);
    const chat = await call('POST', '/chats', { token, body: { type: 'direct', participantIds: [SEED.bob.userId] } });
    expect(chat.status).toBe(201);
    expect(deviceIdsOf(chat.body, SEED.userId)).toEqual(['dev_a1Xk93', 'dev_b2', 'dev_a1']);
    const sent = await call('POST', '/messages', { token, body: sealedForBob(chat.body.id) });
    expect([sent.status, sent.body.senderDeviceId]).toEqual([201, 'dev_a1Xk93']);
  });

  it('a sender whose devices are all removed: the chat lists none of theirs, and a message without senderDeviceId is a 404', async () => {
    const { accessToken: token } = await signIn(PEOPLE.ada);
    for (const id of ADA_DEVICES) expect((await call('DELETE', `/devices/${id}`, { token })).status, id).toBe(204);
    const chat = await call('POST', '/chats', { token, body: { type: 'group', name: 'After the removals', participantIds: [SEED.bob.userId] } });
    expect(chat.status).toBe(201);
    expect(deviceIdsOf(chat.body, SEED.userId)).toEqual([]);
    expect(deviceIdsOf(chat.body, SEED.bob.userId)).toEqual(['dev_b2Lm47', 'dev_BobLaptop1', 'dev_BobPhone1']);
    const sent = await call('POST', '/messages', { token, body: sealedForBob(chat.body.id) });
    expect(outcome(sent)).toEqual(NOT_FOUND);
    expect((await call('GET', `/chats/${chat.body.id}/messages`, { token })).body).toEqual([]);
  });
});
