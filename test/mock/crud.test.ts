// Every tag that has writes, through the SDK against the stateful mock: create, read back, find
// it in the list, update, delete, and then a 404; the mock never answers outside the contract.
import { describe, expect, it } from 'vitest';
import { NotFoundError, SessionExpiredError } from '../../src/index.js';
import { SEED } from '../../src/mock/index.js';
import { loadSpecModel } from '../../src/tools/spec-model.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';
import { all, client, signedIn, useMock } from './support.js';
import { stripeSignature } from '../support/stripe.js';

const mock = useMock({ rateLimit: false });
const org = SEED.organizationId;
const stripeEvent = (() => {
  const op = loadSpecModel().operations.find((o) => o.id === 'receiveStripeWebhook')!;
  const media = op.raw.requestBody?.content?.['application/json'];
  return media?.example ?? (Object.values(media?.examples ?? {})[0] as { value?: unknown } | undefined)?.value;
})();

describe('the stateful mock: a scenario per tag with writes', () => {
  it('api-keys: create (secret once), read back, list, update, revoke is final, delete, 404', async () => {
    const c = await signedIn(mock());
    const key = await c.apiKeys.create({ name: 'CI Pipeline', type: 'service', environment: 'sandbox', permissions: ['messages:read'] });
    expect(key.secret).toMatch(/^ak_test_[A-Za-z0-9]{32}$/);
    expect(key.keyPrefix).toBe(key.secret.slice(0, 16));
    const read = await c.apiKeys.get(key.id);
    expect(read).not.toHaveProperty('secret');
    expect(read).toMatchObject({ id: key.id, name: 'CI Pipeline', status: 'active' });
    expect((await all(c.apiKeys.list({ status: 'active' }))).map((k) => k.id)).toContain(key.id);
    expect(await c.apiKeys.update(key.id, { name: 'CI', status: 'revoked', reason: 'rotated' })).toMatchObject({ name: 'CI', status: 'revoked', statusReason: 'rotated' });
    await expect(c.apiKeys.update(key.id, { status: 'active' })).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
    await c.apiKeys.delete(key.id);
    await expect(c.apiKeys.get(key.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  for (const tag of ['teams', 'departments', 'roles'] as const) {
    it(`${tag}: create, read back, list, update, delete, 404`, async () => {
      const c = await signedIn(mock());
      const resource = c[tag] as any;
      const body = tag === 'roles' ? { organizationId: org, name: 'Auditors', permissions: ['audit:read'] } : { organizationId: org, name: 'Platform' };
      const created = await resource.create(body);
      expect(created.id).toMatch(new RegExp(`^${{ teams: 'team', departments: 'dept', roles: 'role' }[tag]}_`));
      expect(await resource.get(created.id)).toEqual(created);
      expect((await all(resource.list({ organizationId: org }))).map((r: any) => r.id)).toContain(created.id);
      const updated = await resource.update(created.id, { name: 'Renamed' });
      expect(updated).toMatchObject({ id: created.id, name: 'Renamed' });
      await resource.delete(created.id);
      await expect(resource.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  }

  it('chats and messages: create a chat, send, read in the chat, edit, react, delete, 404', async () => {
    const c = await signedIn(mock());
    const chat = await c.chats.create({ type: 'group', name: 'Release', participantIds: [SEED.userId] });
    expect(await c.chats.get(chat.id)).toEqual(chat);
    expect((await all(c.chats.list())).map((x) => x.id)).toContain(chat.id);
    const sent = await c.messages.send({ chatId: chat.id, contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: 'dev_a1', header: 'SEALED_KEY_FOR_DEVICE_A1' }] });
    expect((await all(c.chats.listMessages(chat.id))).map((m) => m.id)).toEqual([sent.id]);
    const edited = await c.messages.update(sent.id, { ciphertext: 'REVG', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }] });
    expect(edited.editedAt).not.toBeNull();
    expect(await c.messages.addReaction(sent.id, { emoji: '👍' })).toMatchObject({ active: true });
    expect((await all(c.chats.listMessages(chat.id)))[0]!.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [SEED.userId] }]);
    expect((await c.chats.get(chat.id)).lastMessageAt).toBe(sent.createdAt);
    await c.messages.delete(sent.id);
    expect(await all(c.chats.listMessages(chat.id))).toEqual([]);
    await expect(c.messages.delete(sent.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('devices: register, list, delete, 404', async () => {
    const c = await signedIn(mock());
    const device = await c.devices.register({ name: 'CI runner', platform: 'server', ...deviceKeyBundle('crud-ci-runner', 7) });
    expect(device).toMatchObject({ userId: SEED.userId, oneTimePreKeysRemaining: 0 });
    expect((await all(c.devices.list())).map((d) => d.id)).toContain(device.id);
    await c.devices.delete(device.id);
    await expect(c.devices.delete(device.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('organizations, members, invites, billing: create, read, list, update, suspend', async () => {
    const c = await signedIn(mock());
    const created = await c.organizations.create({ name: 'Difference Engine Ltd', slug: 'difference-engine' });
    expect(created).toMatchObject({ ownerId: SEED.userId, plan: 'free', status: 'active', memberCount: 1 });
    expect(await c.organizations.get(created.id)).toEqual(created);
    expect((await all(c.organizations.list())).map((o) => o.id)).toContain(created.id);
    expect(await c.organizations.update(created.id, { name: 'DE Ltd' })).toMatchObject({ name: 'DE Ltd' });
    const [owner] = await all(c.organizations.listMembers(created.id));
    expect(owner).toMatchObject({ userId: SEED.userId, role: 'owner' });
    expect(await c.organizations.updateMember(created.id, SEED.userId, { roleIds: [] })).toMatchObject({ roleIds: [] });
    expect(await c.invites.create(created.id, { email: 'grace@example.com', role: 'member', expiresInDays: 7 })).toMatchObject({ status: 'pending', invitedBy: SEED.userId });
    expect(await c.billing.getSubscription(created.id)).toMatchObject({ organizationId: created.id, plan: 'free' });
    expect(await c.organizations.suspend(created.id, { reason: 'Closing down' })).toMatchObject({ status: 'suspended' });
    await expect(c.organizations.create({ name: 'Again', slug: 'difference-engine' })).rejects.toMatchObject({ status: 409 });
    await expect(c.organizations.get('org_doesNotExist')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('users, sessions and notifications: update me, list and revoke sessions, mark read', async () => {
    const c = await signedIn(mock());
    expect(await c.users.updateCurrent({ timezone: 'Europe/Paris' })).toMatchObject({ timezone: 'Europe/Paris' });
    expect((await c.users.getCurrent()).timezone).toBe('Europe/Paris');
    expect((await all(c.users.search({ q: 'ada' }))).map((u) => u.id)).toEqual([SEED.userId]);
    const other = await signedIn(mock());
    const sessions = await all(c.sessions.list());
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const victim = sessions.find((s) => !s.current)!;
    await c.sessions.revoke(victim.id);
    // The revoked session's next call: the mock answers 401 session_revoked, the SDK's one refresh
    // is refused the same way, and the session ends on that client.
    const ended = await other.users.getCurrent().catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(SessionExpiredError);
    expect(ended).toMatchObject({ reason: 'session_revoked' });
    expect(await other.session.tokens()).toBeUndefined();
    const unread = await all(c.notifications.list({ unread: true }));
    expect(unread.length).toBeGreaterThan(0);
    expect(await c.notifications.markRead({ all: true })).toEqual({ updated: unread.length });
    expect(await all(c.notifications.list({ unread: true }))).toEqual([]);
  });
});

describe('the stateful mock: flows that go through email and payment providers', () => {
  it('invites: an invite emailed to a new user is accepted by them and makes them a member', async () => {
    const ada = await signedIn(mock());
    const grace = client(mock());
    await grace.session.register({ email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace Hopper' });
    await ada.invites.create(org, { email: 'grace@example.com', role: 'member', expiresInDays: 7 });
    const mail = mock().outbox.filter((m) => m.to === 'grace@example.com').at(-1)!;
    const member = await grace.invites.accept({ token: mail.token });
    expect(member).toMatchObject({ organizationId: org, email: 'grace@example.com', role: 'member', status: 'active' });
    expect((await all(ada.organizations.listMembers(org))).map((m) => m.email)).toContain('grace@example.com');
    await expect(grace.invites.accept({ token: mail.token })).rejects.toMatchObject({ status: 409 });
  });

  it('password reset: the emailed token sets a new password once and ends every session', async () => {
    const c = client(mock());
    await c.session.register({ email: 'alan@example.com', password: 'first-passphrase', displayName: 'Alan Turing' });
    await c.auth.requestPasswordReset({ email: 'alan@example.com' });
    const { token } = mock().outbox.find((m) => m.to === 'alan@example.com')!;
    await c.auth.resetPassword({ token, password: 'second-passphrase' });
    const ended = await c.users.getCurrent().catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(SessionExpiredError);
    expect(ended).toMatchObject({ reason: 'session_revoked' });
    await expect(c.auth.resetPassword({ token, password: 'third-passphrase' })).rejects.toMatchObject({ status: 422 });
    await expect(client(mock()).session.login({ email: 'alan@example.com', password: 'first-passphrase' })).rejects.toMatchObject({ reason: 'invalid_credentials' });
    await client(mock()).session.login({ email: 'alan@example.com', password: 'second-passphrase' });
  });

  it('payment webhooks: a Stripe-signed event (signed by Stripe\'s own library) is received; a forged one is a 400, an unsigned one a 401', async () => {
    const body = JSON.stringify(stripeEvent);
    const post = (headers: Record<string, string>) => fetch(`${mock().url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signed = stripeSignature(body, mock().processorSecret);
    const ok = await post({ 'stripe-signature': signed });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true });
    const forged = await post({ 'stripe-signature': 't=1,v1=abc' });
    expect([forged.status, ((await forged.json()) as { error: { reason: string } }).error.reason]).toEqual([400, 'signature_invalid']);
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
  });
});

describe('the stateful mock: organizations keep their records to themselves', () => {
  it("another organization's team is a 404, never listed, and cannot be created into", async () => {
    const ada = await signedIn(mock());
    const team = await ada.teams.create({ organizationId: org, name: 'Private' });
    const outsider = client(mock());
    await outsider.session.register({ email: 'mallory@example.com', password: 'outsider-passphrase', displayName: 'Mallory' });
    await expect(outsider.teams.get(team.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(all(outsider.teams.list({ organizationId: org }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(outsider.teams.create({ organizationId: org, name: 'Intruders' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(all(outsider.organizations.listMembers(org))).rejects.toBeInstanceOf(NotFoundError);
  });
});
