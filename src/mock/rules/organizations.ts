// Organizations: creating one makes the caller its owner (a membership and a `free` subscription
// come with it); suspension, member updates, invites and notifications change the records they
// name. Who may do each (members, owners and admins, the owner, the invitee) and what the state
// allows (the last owner, a suspended organization, duplicates) are the spec's x-access and
// x-invariants, enforced before these handlers run.
import { fillContext, isoNow, type Handler } from '../engine.js';
import { fill, visible } from '../fill.js';
import { base62 } from '../../tools/ids.js';
import { visibleRows } from '../access.js';
import { itemSchema } from '../resources.js';
import type { Row } from '../state.js';
import { subscriptionOf } from './billing.js';

const createOrganization: Handler = (call, env) => {
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
  subscriptionOf(env, org.id);
  return { status: 201, body: visible(org) };
};

const updateOrganization: Handler = (call, env) => {
  const org = call.ctx.target!;
  for (const [k, v] of Object.entries(call.body as Row)) org[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...org[k], ...v } : v;
  org.updatedAt = isoNow(env);
  return { status: 200, body: visible(org) };
};

const suspend: Handler = (call, env) => {
  const org = call.ctx.target!;
  Object.assign(org, { status: 'suspended', updatedAt: isoNow(env) });
  return { status: 200, body: visible(org) };
};

const updateMember: Handler = (call, env) => {
  const member = call.ctx.target!;
  Object.assign(member, call.body);
  const org = env.store.get('organizations', member.organizationId);
  if (org && call.body.role === 'owner') org.ownerId = member.userId;
  env.emit('member.updated', member.organizationId, visible(member));
  return { status: 200, body: visible(member) };
};

const createInvite: Handler = (call, env) => {
  const org = call.ctx.target!;
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
  const invite = call.ctx.target!;
  const user = env.store.get('users', call.principal!.userId)!;
  invite.status = 'accepted';
  const member = fill(
    itemSchema(env.spec, 'members'),
    { organizationId: invite.organizationId, userId: user.id, email: user.email, displayName: user.displayName, role: invite.role, roleIds: [], status: 'active' },
    fillContext(env, undefined),
  );
  env.store.put('members', member);
  const org = env.store.get('organizations', invite.organizationId);
  if (org) org.memberCount = env.store.all('members').filter((m) => m.organizationId === org.id).length;
  env.emit('member.joined', member.organizationId, visible(member));
  return { status: 200, body: visible(member) };
};

const markRead: Handler = (call, env) => {
  // x-access `lists`: the caller's own notifications; other ids are left alone, not refused.
  const mine = visibleRows(call, env, call.rules.access, env.store.all('notifications'));
  const rows = mine.filter((n) => !n.read && (call.body.all || call.body.ids.includes(n.id)));
  for (const n of rows) n.read = true;
  return { status: 200, body: { updated: rows.length } };
};

export const organizationRules: Record<string, Handler> = {
  createOrganization,
  updateOrganization,
  suspendOrganization: suspend,
  updateOrganizationMember: updateMember,
  createInvite,
  acceptInvite,
  markNotificationsRead: markRead,
};
