// The spec's rules on the mock, as a partner's CI would drive them (plain HTTP, no SDK), with
// four people: Ada owns the organization, Bea is an admin, Cy a member, Dan is outside. Who may
// see and do what: visibility, roles and invariants, each refusal asserted with its exact status,
// code and reason. Audit entries, expiry and limits: rules-state.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { conflict, forbidden, httpClient, message, NOT_FOUND, outcome, PEOPLE, peopleSeed, type Person } from './http.js';
import { useMock } from './support.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';

const mock = useMock({ seed: peopleSeed() });
const { call, control, signIn } = httpClient(() => mock().url);
const org = SEED.organizationId;
const { ada, bea, cy, dan } = PEOPLE;
const tokenOf = async (p: Person) => (await signIn(p)).accessToken;

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
});

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
    expect(outcome(await call('POST', '/invites/accept', { token: 'ak_test_fullAccess00000000000000', body: { token: 'inv_tok_x' } }))).toEqual(forbidden('user_required'));
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
    const device = { name: 'Laptop', platform: 'desktop', ...deviceKeyBundle('rules-access-laptop') };
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

