// An organization's `settings.defaultMessageTtlSeconds` (OrganizationSettings.yaml): "Lifetime,
// in seconds, given to new messages in the organization's chats that carry no `expiresAt` of
// their own (they then self-destruct)". The mock ignored it (review of the mock, finding 8).
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, message } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, control, signIn } = httpClient(() => mock().url);

describe("an organization's default message lifetime", () => {
  it("gives new messages in the organization's chats expiresAt = createdAt + the setting; an explicit expiresAt wins; they then self-destruct", async () => {
    let { accessToken: token } = await signIn({ id: SEED.userId, email: SEED.email, password: SEED.password });
    expect((await control('/clock', { frozen: true })).status).toBe(200);
    const patched = await call('PATCH', `/organizations/${SEED.organizationId}`, { token, body: { settings: { defaultMessageTtlSeconds: 3600 } } });
    expect(patched.body.settings.defaultMessageTtlSeconds).toBe(3600);
    const chat = await call('POST', '/chats', { token, body: { type: 'group', name: 'orgchat', organizationId: SEED.organizationId, participantIds: [SEED.userId] } });
    expect(chat.status).toBe(201);
    const plain = await call('POST', '/messages', { token, body: message(chat.body.id) });
    expect(plain.status).toBe(201);
    expect(plain.body.expiresAt).toBe(new Date(Date.parse(plain.body.createdAt) + 3_600_000).toISOString());
    const own = new Date(Date.parse(plain.body.createdAt) + 7_200_000).toISOString();
    const explicit = await call('POST', '/messages', { token, body: message(chat.body.id, { expiresAt: own }) });
    expect(explicit.body.expiresAt).toBe(own);
    // A chat of no organization: no default lifetime.
    const direct = await call('POST', '/chats', { token, body: { type: 'group', name: 'no org', participantIds: [SEED.userId] } });
    expect((await call('POST', '/messages', { token, body: message(direct.body.id) })).body.expiresAt).toBeNull();

    const listed = async () => {
      const page = await call('GET', `/chats/${chat.body.id}/messages`, { token });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return (page.body as unknown as { id: string }[]).map((m) => m.id);
    };
    expect(await listed()).toEqual([explicit.body.id, plain.body.id]);
    expect((await control('/clock', { advance: '61m' })).status).toBe(200);
    token = (await signIn({ id: SEED.userId, email: SEED.email, password: SEED.password })).accessToken; // the old token lived 15 minutes
    expect(await listed()).toEqual([explicit.body.id]);

    // Back to null: messages do not expire by default.
    await call('PATCH', `/organizations/${SEED.organizationId}`, { token, body: { settings: { defaultMessageTtlSeconds: null } } });
    expect((await call('POST', '/messages', { token, body: message(chat.body.id) })).body.expiresAt).toBeNull();
  });
});
