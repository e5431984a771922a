// The spec's rules on the mock, one describe per rule class (visibility, roles, invariants,
// audit entries, expiry, limits), driven as a partner's CI would: plain HTTP, four people (Ada
// owns the organization, Bea is an admin, Cy a member, Dan is outside), the clock moved over
// /__mock/clock. Each refusal is asserted with its exact status, code and reason.
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { Agent } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient, outcome, PEOPLE, peopleSeed, type Person } from './http.js';
import { useMock } from './support.js';

const PROCESSOR_SECRET = 'whsec_rules_test_processor';
const mock = useMock({ seed: peopleSeed(), processorSecret: PROCESSOR_SECRET });
const { call, control, signIn } = httpClient(() => mock().url);
const org = SEED.organizationId;
const { ada, bea, cy, dan } = PEOPLE;
const agents: Agent[] = [];
afterAll(() => Promise.all(agents.map((a) => a.close())));

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

const tokenOf = async (p: Person) => (await signIn(p)).accessToken;
const message = (chatId: string, extra: object = {}) => ({ chatId, contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }], ...extra });
const NOT_FOUND = { status: 404, code: 'NOT_FOUND', reason: undefined };
const forbidden = (reason: string) => ({ status: 403, code: 'FORBIDDEN', reason });
const conflict = (reason: string) => ({ status: 409, code: 'CONFLICT', reason });

/** An upload by `token`: presign, PUT the bytes; resolves to the file id. */
async function upload(token: string): Promise<string> {
  const presign = await call('POST', '/files/presign', { token, body: { filename: 'a.enc', contentType: 'application/octet-stream', size: 3 } });
  const put = await fetch(presign.body.uploadUrl, { method: 'PUT', body: 'abc' });
  expect(put.status).toBe(200);
  return presign.body.fileId;
}

describe('visibility: what the caller may not see is a 404, as if it did not exist', () => {
  it("a user outside a chat cannot list its messages or read it; a participant can", async () => {
    const [adaT, danT] = [await tokenOf(ada), await tokenOf(dan)];
    const sent = await call('POST', '/messages', { token: adaT, body: message(SEED.chatId) });
    expect(sent.status).toBe(201);
    expect(outcome(await call('GET', `/chats/${SEED.chatId}/messages`, { token: danT }))).toEqual(NOT_FOUND);
    expect(outcome(await call('GET', `/chats/${SEED.chatId}`, { token: danT }))).toEqual(NOT_FOUND);
    expect(outcome(await call('PATCH', `/messages/${sent.body.id}`, { token: danT, body: { ciphertext: 'REVG', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }] } }))).toEqual(NOT_FOUND);
    expect((await call('GET', `/chats/${SEED.chatId}/messages`, { token: adaT })).body.map((m: { id: string }) => m.id)).toContain(sent.body.id);
  });

  it("another user's file has no download URL for them; a participant of a chat that shares it gets one", async () => {
    const [adaT, beaT, cyT] = [await tokenOf(ada), await tokenOf(bea), await tokenOf(cy)];
    const fileId = await upload(adaT);
    expect(outcome(await call('GET', `/files/${fileId}/download`, { token: beaT }))).toEqual(NOT_FOUND);
    expect((await call('GET', `/files/${fileId}/download`, { token: adaT })).status).toBe(200);
    const chat = await call('POST', '/chats', { token: adaT, body: { type: 'group', name: 'Files', participantIds: [bea.id] } });
    expect((await call('POST', '/messages', { token: adaT, body: message(chat.body.id, { fileIds: [fileId] }) })).status).toBe(201);
    expect((await call('GET', `/files/${fileId}/download`, { token: beaT })).status).toBe(200);
    expect(outcome(await call('GET', `/files/${fileId}/download`, { token: cyT }))).toEqual(NOT_FOUND);
    // Nor can an outsider attach it to a message of their own.
    const own = await call('POST', '/chats', { token: cyT, body: { type: 'group', name: 'Mine', participantIds: [dan.id] } });
    expect(outcome(await call('POST', '/messages', { token: cyT, body: { ...message(own.body.id, { fileIds: [fileId] }), envelopes: [{ deviceId: cy.deviceId, header: 'U0VBTEVE' }] } }))).toEqual(NOT_FOUND);
  });

  it("an organization's audit log: 404 outside it, 403 not_admin for a member, readable by an admin", async () => {
    expect(outcome(await call('GET', `/audit-logs?organizationId=${org}`, { token: await tokenOf(dan) }))).toEqual(NOT_FOUND);
    expect(outcome(await call('GET', `/audit-logs?organizationId=${org}`, { token: await tokenOf(cy) }))).toEqual(forbidden('not_admin'));
    expect((await call('GET', `/audit-logs?organizationId=${org}`, { token: await tokenOf(bea) })).status).toBe(200);
  });

  it("another organization's records are 404s and absent from lists", async () => {
    const danT = await tokenOf(dan);
    const own = await call('POST', '/organizations', { token: danT, body: { name: 'Dan Co', slug: 'dan-co' } });
    const team = await call('POST', '/teams', { token: danT, body: { organizationId: own.body.id, name: 'Secret' } });
    const adaT = await tokenOf(ada);
    expect(outcome(await call('GET', `/teams/${team.body.id}`, { token: adaT }))).toEqual(NOT_FOUND);
    expect(outcome(await call('GET', `/teams?organizationId=${own.body.id}`, { token: adaT }))).toEqual(NOT_FOUND);
    expect((await call('GET', '/organizations', { token: adaT })).body.map((o: { id: string }) => o.id)).toEqual([org]);
    expect(outcome(await call('POST', '/teams', { token: danT, body: { organizationId: org, name: 'Intruders' } }))).toEqual(NOT_FOUND);
  });
});

describe('roles: owners, admins and members, each refused with its reason', () => {
  it('a member cannot change memberships (not even their own to owner), invite, or start a checkout', async () => {
    const cyT = await tokenOf(cy);
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: cyT, body: { role: 'owner' } }))).toEqual(forbidden('not_admin'));
    for (const role of ['member', 'admin']) {
      expect(outcome(await call('POST', `/invites/${org}`, { token: cyT, body: { email: 'eve@example.com', role } }))).toEqual(forbidden('not_admin'));
    }
    const checkout = { plan: 'team_annual', provider: 'stripe', successUrl: 'https://app.example.com/billing' };
    expect(outcome(await call('POST', `/subscriptions/${org}/checkout`, { token: cyT, body: checkout }))).toEqual(forbidden('not_admin'));
    expect(outcome(await call('GET', `/billing/${org}/invoices`, { token: cyT }))).toEqual(forbidden('not_admin'));
    expect((await call('GET', `/organizations/${org}/members`, { token: cyT })).status).toBe(200); // any member may list
  });

  it('an admin manages members but not owners: granting owner or touching an owner is not_owner', async () => {
    const beaT = await tokenOf(bea);
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: beaT, body: { role: 'owner' } }))).toEqual(forbidden('not_owner'));
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${ada.id}`, { token: beaT, body: { status: 'suspended' } }))).toEqual(forbidden('not_owner'));
    expect(outcome(await call('POST', `/organizations/${org}/suspend`, { token: beaT, body: { reason: 'no' } }))).toEqual(forbidden('not_owner'));
    const promoted = await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: beaT, body: { role: 'admin' } });
    expect([promoted.status, promoted.body.role]).toEqual([200, 'admin']);
  });

  it('an API key is held to its scope, and cannot do what only a signed-in user may', async () => {
    const adaT = await tokenOf(ada);
    const narrow = await call('POST', '/api-keys', { token: adaT, body: { name: 'narrow', type: 'service', environment: 'sandbox', permissions: ['messages:read'] } });
    expect(outcome(await call('POST', '/teams', { token: narrow.body.secret, body: { organizationId: org, name: 'By key' } }))).toEqual(forbidden('insufficient_scope'));
    expect(outcome(await call('POST', '/invites/accept', { token: 'ak_test_fullAccess', body: { token: 'inv_tok_x' } }))).toEqual(forbidden('user_required'));
    expect(outcome(await call('POST', '/api-keys', { token: narrow.body.secret, body: { name: 'wider', type: 'service', environment: 'sandbox' } }))).toEqual(forbidden('insufficient_scope'));
  });
});

describe('invariants: what the state allows, refused with status, code and reason', () => {
  it('the last owner cannot demote or suspend itself; with a second owner it can', async () => {
    const adaT = await tokenOf(ada);
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${ada.id}`, { token: adaT, body: { role: 'admin' } }))).toEqual(conflict('last_owner'));
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${ada.id}`, { token: adaT, body: { status: 'suspended' } }))).toEqual(conflict('last_owner'));
    expect((await call('PATCH', `/organizations/${org}/members/${bea.id}`, { token: adaT, body: { role: 'owner' } })).status).toBe(200);
    expect((await call('PATCH', `/organizations/${org}/members/${ada.id}`, { token: adaT, body: { role: 'admin' } })).body.role).toBe('admin');
  });

  it('a suspended organization refuses every change (reads still work); suspending twice is a conflict', async () => {
    const adaT = await tokenOf(ada);
    expect((await call('POST', `/organizations/${org}/suspend`, { token: adaT, body: { reason: 'Audit' } })).body.status).toBe('suspended');
    const suspended = forbidden('organization_suspended');
    expect(outcome(await call('POST', '/teams', { token: adaT, body: { organizationId: org, name: 'Late' } }))).toEqual(suspended);
    expect(outcome(await call('PATCH', `/organizations/${org}`, { token: adaT, body: { name: 'Renamed' } }))).toEqual(suspended);
    expect(outcome(await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: adaT, body: { role: 'admin' } }))).toEqual(suspended);
    expect(outcome(await call('POST', '/api-keys', { token: adaT, body: { name: 'k', type: 'service', environment: 'sandbox' } }))).toEqual(suspended);
    expect(outcome(await call('POST', `/organizations/${org}/suspend`, { token: adaT, body: { reason: 'Again' } }))).toEqual(conflict('already_suspended'));
    expect((await call('GET', `/organizations/${org}`, { token: adaT })).status).toBe(200);
  });

  it('names and keys are unique: a team name (without case) in its organization, an identity key', async () => {
    const adaT = await tokenOf(ada);
    expect((await call('POST', '/teams', { token: adaT, body: { organizationId: org, name: 'Platform' } })).status).toBe(201);
    expect(outcome(await call('POST', '/teams', { token: adaT, body: { organizationId: org, name: 'platform' } }))).toEqual(conflict('name_taken'));
    const danT = await tokenOf(dan);
    const other = await call('POST', '/organizations', { token: danT, body: { name: 'Dan Co', slug: 'dan-co' } });
    expect((await call('POST', '/teams', { token: danT, body: { organizationId: other.body.id, name: 'Platform' } })).status).toBe(201);
    const device = { name: 'Laptop', platform: 'desktop', identityKey: 'SURFTlRJVFlfS0VZX1RXSUNF', signedPreKey: { keyId: 1, publicKey: 'UFVC', signature: 'U0lH' } };
    expect((await call('POST', '/devices', { token: adaT, body: device })).status).toBe(201);
    expect(outcome(await call('POST', '/devices', { token: danT, body: device }))).toEqual(conflict('identity_key_taken'));
  });

  it('a direct chat is exactly two people, once', async () => {
    const adaT = await tokenOf(ada);
    const shape = { status: 422, code: 'VALIDATION', reason: 'direct_chat_shape' };
    expect(outcome(await call('POST', '/chats', { token: adaT, body: { type: 'direct', participantIds: [bea.id, cy.id] } }))).toEqual(shape);
    expect(outcome(await call('POST', '/chats', { token: adaT, body: { type: 'direct', name: 'Us', participantIds: [bea.id] } }))).toEqual(shape);
    expect((await call('POST', '/chats', { token: adaT, body: { type: 'direct', participantIds: [bea.id] } })).status).toBe(201);
    expect(outcome(await call('POST', '/chats', { token: await tokenOf(bea), body: { type: 'direct', participantIds: [ada.id] } }))).toEqual(conflict('direct_chat_exists'));
  });

  it('a checkout for the plan already held, a second logout, a revoked key reactivated', async () => {
    const adaT = await tokenOf(ada);
    const checkout = { plan: 'team_monthly', provider: 'stripe', successUrl: 'https://app.example.com/billing' };
    expect(outcome(await call('POST', `/subscriptions/${org}/checkout`, { token: adaT, body: checkout }))).toEqual(conflict('plan_already_active'));
    const { refreshToken } = await signIn(ada);
    expect((await call('POST', '/auth/logout', { body: { refreshToken } })).status).toBe(204);
    expect(outcome(await call('POST', '/auth/logout', { body: { refreshToken } }))).toEqual({ status: 401, code: 'UNAUTHORIZED', reason: 'session_revoked' });
    expect(outcome(await call('POST', '/auth/logout', { body: { refreshToken: 'rt_neverIssued' } }))).toEqual({ status: 401, code: 'UNAUTHORIZED', reason: 'token_invalid' });
    const key = await call('POST', '/api-keys', { token: adaT, body: { name: 'k', type: 'service', environment: 'sandbox' } });
    await call('PATCH', `/api-keys/${key.body.id}`, { token: adaT, body: { status: 'revoked' } });
    expect(outcome(await call('PATCH', `/api-keys/${key.body.id}`, { token: adaT, body: { status: 'active' } }))).toEqual(conflict('already_revoked'));
  });
});

describe('audit entries: membership, role grants, devices, sessions, billing; append-only, per organization', () => {
  const log = async (token: string, query = '') => (await call('GET', `/audit-logs?organizationId=${org}${query}`, { token })).body as Record<string, any>[];

  it('a role grant records who, what, from where, and the previous and new role', async () => {
    const adaT = await tokenOf(ada);
    await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: adaT, body: { role: 'admin' }, headers: { 'user-agent': 'rules-test/1' } });
    const [entry] = await log(adaT, `&action=member.role_changed&actorId=${ada.id}`);
    expect(entry).toMatchObject({
      organizationId: org,
      action: 'member.role_changed',
      actor: { type: 'user', id: ada.id, displayName: 'Ada Lovelace' },
      targetType: 'member',
      targetId: cy.id,
      ipAddress: '127.0.0.1',
      userAgent: 'rules-test/1',
      metadata: { previousRole: 'member', role: 'admin' },
    });
    expect(await log(adaT, `&actorId=${bea.id}`)).toEqual([]);
  });

  it('a device removal and a session revocation land in the log of the organization the user belongs to', async () => {
    const beaT = await tokenOf(bea);
    expect((await call('DELETE', `/devices/${bea.deviceId}`, { token: beaT })).status).toBe(204);
    await signIn(bea);
    const sessions = (await call('GET', '/sessions', { token: beaT })).body as { id: string; current: boolean }[];
    const other = sessions.find((s) => !s.current)!;
    expect((await call('DELETE', `/sessions/${other.id}`, { token: beaT })).status).toBe(204);
    const actions = (await log(beaT, `&actorId=${bea.id}`)).map((e) => `${e.action} ${e.targetId}`);
    expect(actions).toEqual([`session.revoked ${other.id}`, `device.removed ${bea.deviceId}`]);
    // Dan belongs to no organization: his device removal is in no organization's log.
    const danT = await tokenOf(dan);
    await call('DELETE', `/devices/${dan.deviceId}`, { token: danT });
    expect(await log(beaT, `&actorId=${dan.id}`)).toEqual([]);
  });

  it('a checkout completed by a Stripe-signed event: new plan, a paid invoice, the events and the billing entries, once', async () => {
    const adaT = await tokenOf(ada);
    const session = await call('POST', `/subscriptions/${org}/checkout`, { token: adaT, body: { plan: 'team_annual', provider: 'stripe', successUrl: 'https://app.example.com/billing', seats: 3 } });
    expect(session.status).toBe(201);
    const sessionId = (session.body.checkoutUrl as string).split('/').pop()!;
    const event = JSON.stringify({ id: 'evt_rulesCheckout1', object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), data: { object: { id: sessionId, object: 'checkout.session', payment_status: 'paid', amount_total: 28800, currency: 'usd' } } });
    const signature = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: event, secret: PROCESSOR_SECRET });
    for (let i = 0; i < 2; i++) {
      const delivered = await call('POST', '/webhooks/stripe', { body: JSON.parse(event), headers: { 'stripe-signature': signature } });
      expect([delivered.status, delivered.body]).toEqual([200, { received: true }]);
    }
    expect((await call('GET', `/subscriptions/${org}`, { token: adaT })).body).toMatchObject({ plan: 'team_annual', status: 'active', provider: 'stripe', seats: 3 });
    expect((await call('GET', `/organizations/${org}`, { token: adaT })).body.plan).toBe('team_annual');
    const invoices = (await call('GET', `/billing/${org}/invoices`, { token: adaT })).body;
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', amountPaid: 28800, currency: 'USD', organizationId: org })]);
    const events = ((await control('/events')).body as unknown as { type: string }[]).map((e) => e.type);
    expect(events.filter((t) => t === 'subscription.updated' || t === 'invoice.paid')).toEqual(['subscription.updated', 'invoice.paid']);
    const billing = (await log(adaT)).filter((e) => e.actor.type === 'system').map((e) => [e.action, e.metadata]);
    expect(billing).toEqual([
      ['invoice.paid', { amountPaid: 28800, currency: 'USD' }],
      ['subscription.updated', { previousPlan: 'team_monthly', plan: 'team_annual', provider: 'stripe' }],
    ]);
    expect((await log(adaT, '&action=checkout.created'))[0]?.metadata).toEqual({ plan: 'team_annual', provider: 'stripe' });
  });

  it('Paystack and Flutterwave confirmations are verified their way; a wrong signature is a 400 and changes nothing', async () => {
    const adaT = await tokenOf(ada);
    const start = async (plan: string, provider: string) => (await call('POST', `/subscriptions/${org}/checkout`, { token: adaT, body: { plan, provider, successUrl: 'https://app.example.com/b' } })).body.checkoutUrl.split('/').pop();
    const paystack = JSON.stringify({ event: 'charge.success', data: { id: 7001, status: 'success', reference: await start('team_annual', 'paystack'), amount: 500000, currency: 'NGN' } });
    const wrong = await call('POST', '/webhooks/paystack', { body: JSON.parse(paystack), headers: { 'x-paystack-signature': createHmac('sha512', 'not-the-secret').update(paystack).digest('hex') } });
    expect(outcome(wrong)).toEqual({ status: 400, code: 'BAD_REQUEST', reason: 'signature_invalid' });
    expect((await call('GET', `/subscriptions/${org}`, { token: adaT })).body.plan).toBe('team_monthly');
    const right = await call('POST', '/webhooks/paystack', { body: JSON.parse(paystack), headers: { 'x-paystack-signature': createHmac('sha512', PROCESSOR_SECRET).update(paystack).digest('hex') } });
    expect(right.status).toBe(200);
    expect((await call('GET', `/subscriptions/${org}`, { token: adaT })).body).toMatchObject({ plan: 'team_annual', provider: 'paystack' });
    const flutterwave = { event: 'charge.completed', data: { id: 8001, tx_ref: await start('enterprise', 'flutterwave'), amount: 25, currency: 'USD', status: 'successful' } };
    expect(outcome(await call('POST', '/webhooks/flutterwave', { body: flutterwave, headers: { 'verif-hash': 'guess' } }))).toEqual({ status: 400, code: 'BAD_REQUEST', reason: 'signature_invalid' });
    expect((await call('POST', '/webhooks/flutterwave', { body: flutterwave, headers: { 'verif-hash': PROCESSOR_SECRET } })).status).toBe(200);
    expect((await call('GET', `/subscriptions/${org}`, { token: adaT })).body).toMatchObject({ plan: 'enterprise', provider: 'flutterwave' });
    expect((await call('GET', `/billing/${org}/invoices`, { token: adaT })).body.map((i: { amountPaid: number }) => i.amountPaid)).toEqual([2500, 500000]);
  });

  it('the log is append-only: no operation changes or deletes an entry', async () => {
    const adaT = await tokenOf(ada);
    await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: adaT, body: { role: 'admin' } });
    const [entry] = await log(adaT);
    expect((await call('DELETE', `/audit-logs`, { token: adaT })).status).toBe(405);
    expect((await call('PATCH', `/audit-logs/${entry!.id}`, { token: adaT, body: {} })).status).toBe(404);
    await call('PATCH', `/organizations/${org}/members/${cy.id}`, { token: adaT, body: { role: 'member' } });
    const after = await log(adaT);
    expect(after.at(-1)).toEqual(entry);
    expect(after.map((e) => e.metadata.role)).toEqual(['member', 'admin']);
  });
});

describe('expiry: the clock moved over HTTP (/__mock/clock) expires tokens, links, messages, invites and keys', () => {
  const advance = async (by: string) => expect((await control('/clock', { advance: by })).status).toBe(200);

  it('reads, sets and freezes the clock', async () => {
    const set = await control('/clock', { set: '2030-01-01T00:00:00Z', frozen: true });
    expect(set.body).toEqual({ now: '2030-01-01T00:00:00.000Z', epochMs: Date.parse('2030-01-01T00:00:00Z'), frozen: true });
    await advance('90s');
    expect((await control('/clock')).body.now).toBe('2030-01-01T00:01:30.000Z');
    expect(outcome(await control('/clock', { advance: 'soon' }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect((await control('/clock', { set: new Date().toISOString(), frozen: false })).body.frozen).toBe(false);
  });

  it('an access token after 15 minutes, and a presigned upload URL', async () => {
    const adaT = await tokenOf(ada);
    const presign = await call('POST', '/files/presign', { token: adaT, body: { filename: 'a.enc', contentType: 'application/octet-stream', size: 3 } });
    await advance('16m');
    expect(outcome(await call('GET', '/users/me', { token: adaT }))).toEqual({ status: 401, code: 'UNAUTHORIZED', reason: 'token_expired' });
    expect((await fetch(presign.body.uploadUrl, { method: 'PUT', body: 'abc' })).status).toBe(403);
  });

  it('a message past expiresAt is not listed, cannot be edited (409), reacted to or deleted (404)', async () => {
    const adaT = await tokenOf(ada);
    const now = Date.parse((await control('/clock')).body.now);
    const sent = await call('POST', '/messages', { token: adaT, body: message(SEED.chatId, { expiresAt: new Date(now + 60_000).toISOString() }) });
    expect(outcome(await call('POST', '/messages', { token: adaT, body: message(SEED.chatId, { expiresAt: new Date(now - 1000).toISOString() }) }))).toEqual({ status: 422, code: 'VALIDATION', reason: 'expires_at_past' });
    await advance('2m');
    const adaLater = await tokenOf(ada);
    expect((await call('GET', `/chats/${SEED.chatId}/messages`, { token: adaLater })).body).toEqual([]);
    expect(outcome(await call('PATCH', `/messages/${sent.body.id}`, { token: adaLater, body: { ciphertext: 'REVG', envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVE' }] } }))).toEqual(conflict('message_expired'));
    expect(outcome(await call('POST', `/messages/${sent.body.id}/reactions`, { token: adaLater, body: { emoji: '👍' } }))).toEqual(NOT_FOUND);
    expect(outcome(await call('DELETE', `/messages/${sent.body.id}`, { token: adaLater }))).toEqual(NOT_FOUND);
  });

  it('an invite past expiresInDays, and an API key past expiresAt', async () => {
    const adaT = await tokenOf(ada);
    await call('POST', `/invites/${org}`, { token: adaT, body: { email: dan.email, role: 'member', expiresInDays: 1 } });
    const { token } = ((await control('/outbox')).body as unknown as { to: string; token: string }[]).find((m) => m.to === dan.email)!;
    const now = Date.parse((await control('/clock')).body.now);
    const key = await call('POST', '/api-keys', { token: adaT, body: { name: 'short', type: 'service', environment: 'sandbox', expiresAt: new Date(now + 3_600_000).toISOString() } });
    expect((await call('GET', '/utils/authtest', { token: key.body.secret })).status).toBe(200);
    await advance('2d');
    expect(outcome(await call('POST', '/invites/accept', { token: await tokenOf(dan), body: { token } }))).toEqual(conflict('invite_expired'));
    expect(outcome(await call('GET', '/utils/authtest', { token: key.body.secret }))).toEqual({ status: 401, code: 'UNAUTHORIZED', reason: 'key_expired' });
    expect((await call('GET', `/api-keys/${key.body.id}`, { token: await tokenOf(ada) })).body.status).toBe('expired');
  });
});

describe('limits: 120 a minute per address and per token, with the figures on every answer', () => {
  /** A client connecting from another loopback address (Linux routes all of 127.0.0.0/8 to lo). */
  const from = (address: string) => {
    const agent = new Agent({ localAddress: address });
    agents.push(agent);
    return agent;
  };
  const figures = (a: { headers: Headers }) => [a.headers.get('x-ratelimit-limit'), a.headers.get('x-ratelimit-remaining')];

  it('per address: 120 requests with 120 different keys from one address, the 121st is a 429; another address still passes', async () => {
    const address = from('127.0.0.3');
    const statuses = new Set<number>();
    for (let i = 0; i < 120; i++) statuses.add((await call('GET', '/utils/authtest', { token: `ak_test_address${i}`, dispatcher: address })).status);
    expect([...statuses]).toEqual([200]);
    const limited = await call('GET', '/utils/authtest', { token: 'ak_test_addressFresh', dispatcher: address });
    expect(outcome(limited)).toEqual({ status: 429, code: 'RATE_LIMITED', reason: undefined });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/utils/authtest', { token: 'ak_test_addressFresh', dispatcher: from('127.0.0.4') })).status).toBe(200);
  });

  it('per token: one key from three addresses, 120 in all, then 429 from a fourth; the clock resets the window', async () => {
    const addresses = ['127.0.0.5', '127.0.0.6', '127.0.0.7'].map(from);
    for (let i = 0; i < 120; i++) await call('GET', '/utils/authtest', { token: 'ak_test_oneToken', dispatcher: addresses[i % 3]! });
    const limited = await call('GET', '/utils/authtest', { token: 'ak_test_oneToken', dispatcher: from('127.0.0.8') });
    expect([limited.status, ...figures(limited)]).toEqual([429, '120', '0']);
    await control('/clock', { advance: '61s' });
    const next = await call('GET', '/utils/authtest', { token: 'ak_test_oneToken', dispatcher: from('127.0.0.8') });
    expect([next.status, ...figures(next)]).toEqual([200, '120', '119']);
  });

  it('every answer carries the figures: an unknown path, a 405, a 400, a 413, and control endpoints (not counted)', async () => {
    const token = 'ak_test_figures';
    expect(figures(await call('GET', '/nowhere', { token }))).toEqual(['120', '119']);
    expect(figures(await call('PUT', '/teams', { token }))).toEqual(['120', '118']);
    expect(figures(await call('GET', '/teams/team_%FF', { token }))).toEqual(['120', '117']);
    const big = await fetch(`${mock().url}/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: 'x'.repeat(17 * 1024 * 1024) });
    expect([big.status, ...figures(big)]).toEqual([413, '120', '116']);
    await big.arrayBuffer();
    const health = await control('/health');
    expect(figures(health)).toEqual(['120', '116']); // the address's budget, shown, not spent
    expect(Number(health.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.parse((await control('/clock')).body.now) / 1000);
  });
});
