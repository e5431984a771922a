// Organizations and billing: creating one makes the caller its owner (a membership and a `free`
// subscription come with it); suspension, member updates, invites, checkout and notifications
// change the records they name.
import { fillContext, isoNow, type Call, type Handler, type MockEnv } from '../engine.js';
import { fill, visible } from '../fill.js';
import { base62 } from '../../tools/ids.js';
import { conflict, forbidden, notFound } from '../reply.js';
import { itemSchema, mine } from '../resources.js';
import type { Row } from '../state.js';

function orgFor(call: Call, env: MockEnv, id: string): Row {
  const org = env.store.get('organizations', id);
  const member = env.store.find('members', (m) => m.organizationId === id && m.userId === call.principal?.userId);
  if (!org || !(member || call.principal?.organizationId === id)) throw notFound('organization', id);
  return org;
}

function newSubscription(env: MockEnv, organizationId: string): Row {
  const sub = fill(
    itemSchema(env.spec, 'subscriptions'),
    { organizationId, plan: 'free', status: 'active', provider: null, seats: 1, currentPeriodStart: null, currentPeriodEnd: null },
    fillContext(env, undefined),
  );
  return env.store.put('subscriptions', sub);
}

const createOrganization: Handler = (call, env) => {
  if (env.store.find('organizations', (o) => o.slug === call.body.slug)) throw conflict(`The slug ${call.body.slug} is taken.`);
  const user = env.store.get('users', call.principal!.userId);
  const org = fill(
    itemSchema(env.spec, 'organizations'),
    { billingEmail: null, ...call.body, status: 'active', ownerId: call.principal!.userId, plan: 'free', memberCount: 1 },
    fillContext(env, undefined),
  );
  env.store.put('organizations', org);
  const member = fill(
    itemSchema(env.spec, 'members'),
    { organizationId: org.id, userId: user?.id, email: user?.email, displayName: user?.displayName, role: 'owner', roleIds: [], status: 'active' },
    fillContext(env, undefined),
  );
  env.store.put('members', member);
  newSubscription(env, org.id);
  return { status: 201, body: visible(org) };
};

const listOrganizations: Handler = (call, env) => {
  const mineIds = new Set(env.store.all('members').filter((m) => m.userId === call.principal?.userId).map((m) => m.organizationId));
  if (call.principal?.organizationId) mineIds.add(call.principal.organizationId);
  const rows = env.store.all('organizations').filter((o) => mineIds.has(o.id));
  return { status: 200, body: rows.slice(0, Number(call.query.limit ?? 50)).map(visible) };
};

const getOrganization: Handler = (call, env) => ({ status: 200, body: visible(orgFor(call, env, call.params.id!)) });

const updateOrganization: Handler = (call, env) => {
  const org = orgFor(call, env, call.params.id!);
  for (const [k, v] of Object.entries(call.body as Row)) org[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...org[k], ...v } : v;
  org.updatedAt = isoNow(env);
  return { status: 200, body: visible(org) };
};

const suspend: Handler = (call, env) => {
  const org = orgFor(call, env, call.params.id!);
  if (org.ownerId !== call.principal?.userId) throw forbidden('not_owner', 'Only the owner may suspend the organization.');
  if (org.status === 'suspended') throw conflict(`Organization ${org.id} is already suspended.`);
  Object.assign(org, { status: 'suspended', updatedAt: isoNow(env) });
  return { status: 200, body: visible(org) };
};

const updateMember: Handler = (call, env) => {
  orgFor(call, env, call.params.id!);
  const member = env.store.find('members', (m) => m.organizationId === call.params.id && (m.userId === call.params.userId || m.id === call.params.userId));
  if (!member) throw notFound('member', call.params.userId!);
  Object.assign(member, call.body);
  env.emit('member.updated', member.organizationId, visible(member));
  return { status: 200, body: visible(member) };
};

const getSubscription: Handler = (call, env) => {
  const org = orgFor(call, env, call.params.organizationId!);
  const sub = env.store.find('subscriptions', (s) => s.organizationId === org.id) ?? newSubscription(env, org.id);
  return { status: 200, body: visible(sub) };
};

const checkout: Handler = (call, env) => {
  const org = orgFor(call, env, call.params.organizationId!);
  const host = { stripe: 'checkout.stripe.com', paystack: 'checkout.paystack.com', flutterwave: 'checkout.flutterwave.com' }[call.body.provider as string];
  return {
    status: 201,
    body: {
      checkoutUrl: `https://${host}/c/pay/cs_test_${base62(24)}?org=${org.id}`,
      provider: call.body.provider,
      expiresAt: new Date(env.now() + 30 * 60_000).toISOString(),
    },
  };
};

const createInvite: Handler = (call, env) => {
  const org = orgFor(call, env, call.params.organizationId!);
  const { expiresInDays = 7, roleIds: _roles, ...rest } = call.body;
  const invite = fill(
    itemSchema(env.spec, 'invites') ?? env.spec.operations.find((o) => o.id === 'createInvite')!.successSchema,
    { ...rest, organizationId: org.id, status: 'pending', invitedBy: call.principal!.userId, expiresAt: new Date(env.now() + expiresInDays * 86_400_000).toISOString(), _token: `inv_tok_${base62(24)}` },
    fillContext(env, call.principal),
  );
  env.store.put('invites', invite);
  env.mail(invite.email, `Join ${org.name} on Coveton`, invite._token);
  return { status: 201, body: visible(invite) };
};

const acceptInvite: Handler = (call, env) => {
  const invite = env.store.find('invites', (i) => i._token === call.body.token);
  if (!invite) throw notFound('invite for this token', '(hidden)');
  if (invite.status !== 'pending') throw conflict(`The invite is ${invite.status}.`);
  if (call.principal?.kind !== 'user') throw forbidden('insufficient_scope', 'Only a signed-in user can accept an invite.');
  const user = env.store.get('users', call.principal.userId)!;
  if (user.email !== invite.email) throw forbidden('insufficient_scope', 'The invite was sent to another address.');
  invite.status = 'accepted';
  const member = fill(
    itemSchema(env.spec, 'members'),
    { organizationId: invite.organizationId, userId: user.id, email: user.email, displayName: user.displayName, role: invite.role, roleIds: [], status: 'active' },
    fillContext(env, undefined),
  );
  env.store.put('members', member);
  env.emit('member.joined', member.organizationId, visible(member));
  return { status: 200, body: visible(member) };
};

const markRead: Handler = (call, env) => {
  const rows = mine(env.store.all('notifications'), call, env).filter((n) => !n.read && (call.body.all || call.body.ids.includes(n.id)));
  for (const n of rows) n.read = true;
  return { status: 200, body: { updated: rows.length } };
};

export const organizationRules: Record<string, Handler> = {
  createOrganization,
  listOrganizations,
  getOrganization,
  updateOrganization,
  suspendOrganization: suspend,
  updateOrganizationMember: updateMember,
  getSubscription,
  createCheckoutSession: checkout,
  createInvite,
  acceptInvite,
  markNotificationsRead: markRead,
};
