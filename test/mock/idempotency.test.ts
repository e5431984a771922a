// Idempotency-Key replays compare what a request means, not how its JSON is spelled: the same
// body with its keys in another order or other whitespace is a replay of the first answer; a
// body that says something else is the 422 that names the key. A replay is the first answer as
// it was sent, not the record as it is now.
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';
import { httpClient } from './http.js';
import { ADA, useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, signIn } = httpClient(() => mock().url);

describe('Idempotency-Key replays', () => {
  it('a retry with the same meaning replays, whatever its key order or whitespace; another meaning is 422', async () => {
    const { accessToken } = await signIn({ id: SEED.userId, ...ADA });
    const post = async (raw: string) => {
      const res = await fetch(`${mock().url}/teams?organizationId=${SEED.organizationId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'idem-canonical-1' },
        body: raw,
      });
      const body = (await res.json()) as { id?: string; error?: { code: string; details?: unknown } };
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), id: body.id, code: body.error?.code, details: body.error?.details };
    };
    const first = await post(`{"name":"Canonical team","organizationId":"${SEED.organizationId}"}`);
    expect(first).toMatchObject({ status: 201, replayed: null });
    const reordered = await post(`{"organizationId":"${SEED.organizationId}","name":"Canonical team"}`);
    const spaced = await post(`{ "organizationId" : "${SEED.organizationId}",\n  "name": "Canonical team" }`);
    expect(reordered).toEqual({ ...first, replayed: 'true' });
    expect(spaced).toEqual({ ...first, replayed: 'true' });
    const other = await post(`{"organizationId":"${SEED.organizationId}","name":"Another team"}`);
    expect(other).toEqual({
      status: 422,
      replayed: null,
      id: undefined,
      code: 'VALIDATION',
      details: [{ path: 'Idempotency-Key', message: 'was first used with a different request body' }],
    });
    const teams = (await (await fetch(`${mock().url}/teams?organizationId=${SEED.organizationId}`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { name: string }[];
    expect(teams.filter((t) => t.name === 'Canonical team')).toHaveLength(1);
  });

  it('a replay is the answer as first sent: a later change to the record (a device joining the chat) does not reach it', async () => {
    const { accessToken: token } = await signIn({ id: SEED.userId, ...ADA });
    const create = () => call('POST', '/chats', { token, headers: { 'idempotency-key': 'idem-chat-1' }, body: { type: 'direct', participantIds: [SEED.bob.userId] } });
    const first = await create();
    expect(first.status).toBe(201);
    // Registering a device adds its id, in place, to every chat of its user (rules/devices.ts).
    const device = await call('POST', '/devices', { token, body: { name: 'Tablet', platform: 'web', ...deviceKeyBundle() } });
    expect(device.status).toBe(201);
    const now = await call('GET', `/chats/${first.body.id}`, { token });
    expect(now.body.participants[0].deviceIds).toEqual([...first.body.participants[0].deviceIds, device.body.id]);
    const again = await create();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
