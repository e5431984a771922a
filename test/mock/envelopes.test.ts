// A message's envelopes go to the chat's devices, each once (MessageCreate.envelopes): an
// envelope for a device that is not an active device of a participant (unknown, another user's,
// removed), or a second envelope for one device, is refused with its 422 reason and stores
// nothing, on a send and on an edit. Sealing to every active device of every participant, as the SDK does, is accepted.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, PEOPLE, peopleSeed, type Json } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ seed: peopleSeed() });
const { call, control, signIn } = httpClient(() => mock().url);
const to = (...deviceIds: string[]) => deviceIds.map((deviceId, i) => ({ deviceId, header: `U0VBTEVE${i}` }));
const send = (token: string, envelopes: Json[]) => call('POST', '/messages', { token, body: { chatId: SEED.chatId, senderDeviceId: 'dev_a1', contentType: 'text/plain', ciphertext: 'QUJD', envelopes } });
const refused = (reason: string) => ({ status: 422, code: 'VALIDATION', reason });
const outcome = (a: Json) => ({ status: a.status, code: a.body.error?.code, reason: a.body.error?.reason });
const ALL = ['dev_a1', 'dev_b2', ...SEED.bob.deviceIds];

let ada = '';
const stored = async () => ((await call('GET', `/chats/${SEED.chatId}/messages`, { token: ada })).body as Json[]).length;

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
  ada = (await signIn(PEOPLE.ada)).accessToken;
});

describe('envelopes of a message', () => {
  it('one envelope for every active device of every participant is accepted, as are fewer', async () => {
    expect((await send(ada, to(...ALL))).status).toBe(201);
    expect((await send(ada, to('dev_BobPhone1'))).status).toBe(201);
    expect(await stored()).toBe(2);
  });

  it('a device named twice is 422 envelope_device_repeated, and nothing is stored', async () => {
    const answer = await send(ada, to('dev_a1', 'dev_BobPhone1', 'dev_BobPhone1'));
    expect(outcome(answer)).toEqual(refused('envelope_device_repeated'));
    expect(answer.body.error.details).toEqual([{ path: 'body', message: 'envelopes[2].deviceId dev_BobPhone1 has an envelope already (envelopes[1])' }]);
    expect(await stored()).toBe(0);
  });

  it('an unknown device, a non-participant’s device, or a removed one is 422 envelope_device_not_in_chat', async () => {
    expect(outcome(await send(ada, to('dev_a1', 'dev_nonexistent9')))).toEqual(refused('envelope_device_not_in_chat'));
    expect(outcome(await send(ada, to('dev_a1', PEOPLE.dan.deviceId)))).toEqual(refused('envelope_device_not_in_chat'));
    expect((await call('DELETE', '/devices/dev_b2', { token: ada })).status).toBe(204);
    const answer = await send(ada, to('dev_a1', 'dev_b2'));
    expect(outcome(answer)).toEqual(refused('envelope_device_not_in_chat'));
    expect(answer.body.error.details).toEqual([{ path: 'body', message: 'envelopes[1].deviceId dev_b2 is not an active device of a participant of the chat' }]);
    expect(await stored()).toBe(0);
  });

  it('an edit’s new envelopes follow the same rules; the stored envelopes stay as they were', async () => {
    const sent = await send(ada, to(...ALL));
    const edit = (envelopes: Json[]) => call('PATCH', `/messages/${sent.body.id}`, { token: ada, body: { ciphertext: 'RURJVA', envelopes } });
    expect(outcome(await edit(to('dev_a1', 'dev_a1')))).toEqual(refused('envelope_device_repeated'));
    expect(outcome(await edit(to('dev_a1', PEOPLE.dan.deviceId)))).toEqual(refused('envelope_device_not_in_chat'));
    const listed = (await call('GET', `/chats/${SEED.chatId}/messages`, { token: ada })).body as Json[];
    expect(listed.map((m) => m.envelopes)).toEqual([to(...ALL)]);
    expect((await edit(to('dev_a1', 'dev_BobPhone1'))).status).toBe(200);
  });
});
