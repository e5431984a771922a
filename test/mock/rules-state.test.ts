// The spec's rules on the mock over plain HTTP with four people (see rules-access.test.ts): the
// audit log (membership, role grants, devices, sessions, billing confirmed by signed processor
// events), expiry driven by moving the clock over /__mock/clock, and the rate limits per address
// and per token with their figures on every answer.
import { createHmac } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { conflict, httpClient, message, NOT_FOUND, outcome, PEOPLE, peopleSeed, type Person } from './http.js';
import { useMock } from './support.js';
import { stripeSignature } from '../support/stripe.js';

const PROCESSOR_SECRET = 'whsec_rules_test_processor';
const mock = useMock({ seed: peopleSeed(), processorSecret: PROCESSOR_SECRET });
const { call, control, signIn } = httpClient(() => mock().url);
const org = SEED.organizationId;
const { ada, bea, cy, dan } = PEOPLE;
const tokenOf = async (p: Person) => (await signIn(p)).accessToken;
const agents: Agent[] = [];
afterAll(() => Promise.all(agents.map((a) => a.close())));

beforeEach(async () => {
  expect((await control('/reset')).status).toBe(204);
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
    const signature = stripeSignature(event, PROCESSOR_SECRET);
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
    for (let i = 0; i < 120; i++) statuses.add((await call('GET', '/utils/authtest', { token: `ak_test_address00000000000000000${i}`, dispatcher: address })).status);
    expect([...statuses]).toEqual([200]);
    const limited = await call('GET', '/utils/authtest', { token: 'ak_test_addressFresh000000000000', dispatcher: address });
    expect(outcome(limited)).toEqual({ status: 429, code: 'RATE_LIMITED', reason: undefined });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/utils/authtest', { token: 'ak_test_addressFresh000000000000', dispatcher: from('127.0.0.4') })).status).toBe(200);
  });

  it('per token: one key from three addresses, 120 in all, then 429 from a fourth; moving the clock does not end the window, a reset does', async () => {
    const addresses = ['127.0.0.5', '127.0.0.6', '127.0.0.7'].map(from);
    for (let i = 0; i < 120; i++) await call('GET', '/utils/authtest', { token: 'ak_test_oneToken0000000000000000', dispatcher: addresses[i % 3]! });
    const limited = await call('GET', '/utils/authtest', { token: 'ak_test_oneToken0000000000000000', dispatcher: from('127.0.0.8') });
    expect([limited.status, ...figures(limited)]).toEqual([429, '120', '0']);
    // Windows run on real time (test/mock/rate-limit-real-time.test.ts): the clock leaves them be.
    await control('/clock', { advance: '61s' });
    const still = await call('GET', '/utils/authtest', { token: 'ak_test_oneToken0000000000000000', dispatcher: from('127.0.0.8') });
    expect([still.status, ...figures(still)]).toEqual([429, '120', '0']);
    expect((await control('/reset')).status).toBe(204);
    const next = await call('GET', '/utils/authtest', { token: 'ak_test_oneToken0000000000000000', dispatcher: from('127.0.0.8') });
    expect([next.status, ...figures(next)]).toEqual([200, '120', '119']);
  });

  it('every answer carries the figures: an unknown path, a 405, a 400, a 413, and control endpoints (not counted)', async () => {
    const token = 'ak_test_figures00000000000000000';
    expect(figures(await call('GET', '/nowhere', { token }))).toEqual(['120', '119']);
    expect(figures(await call('PUT', '/teams', { token }))).toEqual(['120', '118']);
    expect(figures(await call('GET', '/teams/team_%FF', { token }))).toEqual(['120', '117']);
    const big = await fetch(`${mock().url}/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: 'x'.repeat(17 * 1024 * 1024) });
    expect([big.status, ...figures(big)]).toEqual([413, '120', '116']);
    await big.arrayBuffer();
    const health = await control('/health');
    expect(figures(health)).toEqual(['120', '116']); // the address's budget, shown, not spent
    expect(Number(health.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });
});
