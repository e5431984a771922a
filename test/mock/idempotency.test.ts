// Idempotency-Key replays compare what a request means, not how its JSON is spelled: the same
// body with its keys in another order or other whitespace is a replay of the first answer; a
// body that says something else is the 422 that names the key.
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient } from './http.js';
import { ADA, useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { signIn } = httpClient(() => mock().url);

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
});
