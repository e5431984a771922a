// What a list's query may do on the mock: only the parameters the spec declares for the
// operation filter it, and free text matches only the fields the spec's `x-search-fields` names
// (spec/README.md). Found by a hostile review: `filter` matched every stored string of an API key,
// its secret included, and `?type=direct` filtered chats although listChats declares no such
// parameter.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { ADA, useMock } from './support.js';
import { httpClient } from './http.js';

const mock = useMock({ rateLimit: false });
const { call, control } = httpClient(() => mock().url);
const ids = (body: unknown) => (body as { id: string }[]).map((r) => r.id);

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

describe('GET /api-keys?filter= matches the name, description and key prefix only', () => {
  it('never the secret, the creator, the environment or any other stored field', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const key = (await call('POST', '/api-keys', { token, body: { name: 'Deploy bot', description: 'Ships the web app', type: 'service', environment: 'sandbox', permissions: ['*'] } })).body;
    const secretOnly = (key.secret as string).slice(16, 28); // past keyPrefix (the first 16 characters)
    expect(key.keyPrefix).toBe(key.secret.slice(0, 16));
    const filter = async (text: string) => ids((await call('GET', `/api-keys?limit=100&filter=${encodeURIComponent(text)}`, { token })).body);

    expect(await filter('deploy BOT')).toEqual([key.id]);
    expect(await filter('web app')).toEqual([key.id]);
    expect(await filter(key.keyPrefix.slice(8))).toEqual([key.id]);
    expect(await filter(secretOnly)).toEqual([]);
    expect(await filter(key.secret)).toEqual([]);
    expect(await filter(SEED.userId)).toEqual([]);
    expect(await filter(key.id)).toEqual([]);
    expect(await filter('sandbox')).toEqual([]);
  });
});

describe('only the query parameters the spec declares for the operation filter', () => {
  it('listChats declares limit and before: ?type= and ?name= change nothing', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const everything = ids((await call('GET', '/chats?limit=100', { token })).body);
    expect(everything.length).toBeGreaterThan(1);
    expect(ids((await call('GET', '/chats?limit=100&type=direct', { token })).body)).toEqual(everything);
    expect(ids((await call('GET', '/chats?limit=100&type=group', { token })).body)).toEqual(everything);
    expect(ids((await call('GET', '/chats?limit=100&name=nothing-is-called-this', { token })).body)).toEqual(everything);
  });

  it('a declared filter still filters: listApiKeys ?status=, listOrganizationMembers ?role=', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const key = (await call('POST', '/api-keys', { token, body: { name: 'to suspend', type: 'service', environment: 'sandbox' } })).body;
    expect((await call('PATCH', `/api-keys/${key.id}`, { token, body: { status: 'suspended' } })).status).toBe(200);
    expect(ids((await call('GET', '/api-keys?limit=100&status=suspended', { token })).body)).toEqual([key.id]);
    const owners = (await call('GET', `/organizations/${SEED.organizationId}/members?role=owner`, { token })).body as { userId: string }[];
    expect(owners.map((m) => m.userId)).toEqual([SEED.userId]);
  });
});
