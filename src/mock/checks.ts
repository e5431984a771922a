// The rules the spec names by `check:` (in `x-access.require` and `x-invariants`): each one a
// question about the request and the state, answered true when the request may go on. The spec
// says when each applies and what it answers; the mock refuses to start when the spec names a
// check missing here (rules.ts), so the two cannot drift apart.
import { roleIn } from './audiences.js';
import { endSession, holds, sessionHeld } from './credentials.js';
import { askedPermissions } from './rules/api-keys.js';
import type { AccessContext, Call, MockEnv } from './engine.js';
import { oauthFlowOf } from './oauth-flows.js';
import type { Row } from './state.js';
import { signedPreKeyProblem, type SignedPreKeyBundle } from '../tools/device-keys.js';

type Check = (call: Call, env: MockEnv, ctx: AccessContext) => boolean;

const body = (call: Call) => (call.body ?? {}) as Record<string, any>;
const userOf = (env: MockEnv, call: Call) => (call.principal ? env.store.get('users', call.principal.userId) : undefined);

const CHECKS: Record<string, Check> = {
  // Sign-in and sessions (seed 002, "Authentication").
  passwordMatches: (call, env) => {
    const user = env.store.find('users', (u) => u.email === String(body(call).email).toLowerCase());
    return user !== undefined && user._password === body(call).password;
  },
  refreshTokenKnown: (call, env) => env.tokens.familyOf(body(call).refreshToken) !== undefined,
  sessionLive: (call, env) => sessionHeld(env, env.tokens.familyOf(body(call).refreshToken) ?? ''),
  // A spent refresh token presented again is taken as theft: the whole family is revoked.
  refreshTokenUnused: (call, env) => {
    if (!env.tokens.isSpent(body(call).refreshToken)) return true;
    endSession(env, env.tokens.familyOf(body(call).refreshToken)!);
    return false;
  },
  resetTokenValid: (call, env) => {
    const entry = env.store.get('_reset-tokens', String(body(call).token));
    return entry !== undefined && entry.expiresAt > env.now();
  },
  // Only a flow a start operation began, at its provider, with its code, once (oauth-flows.ts).
  oauthCallback: (call, env) => oauthFlowOf(call, env) !== undefined,

  // API keys (API brief, "API keys").
  grantsHeldScopes: (call) => keyHoldsAll(call, body(call).permissions as string[] | undefined),
  // A new key's `permissions` left out ask for the default, full access: a narrow key may not
  // mint a `*` key that way (found by a hostile review: only the scopes named were checked).
  newKeyScopesHeld: (call) => keyHoldsAll(call, askedPermissions(body(call))),
  productionFromProduction: (call) => body(call).environment !== 'production' || call.principal?.kind !== 'key' || call.principal.environment === 'production',
  enterpriseForProduction: (call, env, ctx) => body(call).environment !== 'production' || env.store.get('organizations', ctx.organizationId ?? '')?.plan === 'enterprise',

  // Organizations.
  ownerChangesByOwner: (call, env, ctx) => {
    const p = call.principal;
    if (p?.kind !== 'user') return true;
    const touchesOwner = body(call).role === 'owner' || ctx.target?.role === 'owner';
    return !touchesOwner || roleIn(env, ctx.organizationId, p.userId) === 'owner';
  },
  keepsAnOwner: (call, env, ctx) => {
    const member = ctx.target;
    if (!member || member.role !== 'owner' || member.status !== 'active') return true;
    const demoted = (body(call).role !== undefined && body(call).role !== 'owner') || body(call).status === 'suspended';
    if (!demoted) return true;
    return env.store.all('members').some((m) => m.id !== member.id && m.organizationId === member.organizationId && m.role === 'owner' && m.status === 'active');
  },
  signedInAsInvitee: (call, env, ctx) => String(userOf(env, call)?.email ?? '').toLowerCase() === String(ctx.target?.email ?? '').toLowerCase(),

  // Chats and messages.
  directChatShape: (call) => {
    const b = body(call);
    if (b.type !== 'direct') return true;
    const others = (b.participantIds as string[]).filter((id) => id !== call.principal?.userId);
    return others.length === 1 && b.name === undefined;
  },
  noSecondDirectChat: (call, env) => {
    const b = body(call);
    if (b.type !== 'direct') return true;
    const pair = new Set([call.principal?.userId, ...(b.participantIds as string[])]);
    return !env.store.all('chats').some((c) => c.type === 'direct' && c.participants.length === pair.size && (c.participants as Row[]).every((p) => pair.has(p.userId)));
  },
  expiresInFuture: (call, env) => body(call).expiresAt === undefined || Date.parse(body(call).expiresAt) > env.now(),
  envelopeDevicesOnce: (call) => repeatedEnvelope(call) === undefined,
  envelopeDevicesInChat: (call, env, ctx) => strangerEnvelope(call, env, ctx) === undefined,

  // Devices: the signed pre-key verifies under the identity key (registration: the body's;
  // rotation: the device's), a rotation moves to a higher key id (the current key again is a
  // retry), and a removed device sends nothing more.
  signedPreKeyVerifies: (call, env, ctx) => preKeyProblem(call, ctx) === undefined,
  signedPreKeyNewer: (call, env, ctx) => {
    const current = ctx.target?.signedPreKey as SignedPreKeyBundle | undefined;
    const next = body(call) as SignedPreKeyBundle;
    return !current || next.keyId > current.keyId || (next.keyId === current.keyId && next.publicKey === current.publicKey);
  },
  senderDeviceActive: (call, env) => {
    const id = body(call).senderDeviceId;
    return id === undefined || !env.store.get('devices', id)?.removedAt;
  },

  // Billing.
  changesPlan: (call, env, ctx) => {
    const sub = env.store.find('subscriptions', (s) => s.organizationId === ctx.organizationId);
    return !sub || sub.plan !== body(call).plan || !['active', 'trialing'].includes(sub.status);
  },
};

/** Whether an API key caller holds every scope of `wanted` (users are not limited by scopes; nothing asked is nothing to hold). */
function keyHoldsAll(call: Call, wanted: string[] | undefined): boolean {
  const p = call.principal;
  return p?.kind !== 'key' || wanted === undefined || wanted.every((scope) => holds(p.permissions, scope));
}

/** The signed pre-key problem of a registration (the body's bundle) or a rotation (the body, under the target's identity key). */
function preKeyProblem(call: Call, ctx: AccessContext): string | undefined {
  const b = body(call);
  return b.identityKey !== undefined ? signedPreKeyProblem(b.identityKey, b.signedPreKey) : signedPreKeyProblem(String(ctx.target?.identityKey), b as SignedPreKeyBundle);
}

const envelopeDevices = (call: Call): string[] => ((body(call).envelopes ?? []) as Row[]).map((e) => String(e.deviceId));

/** The first envelope whose device an earlier envelope names already: `[index, earlier index]`. */
function repeatedEnvelope(call: Call): [number, number] | undefined {
  const first = new Map<string, number>();
  for (const [i, id] of envelopeDevices(call).entries()) {
    const seen = first.get(id);
    if (seen !== undefined) return [i, seen];
    first.set(id, i);
  }
  return undefined;
}

/**
 * The first envelope not for an active device of a participant of the chat (what
 * `listChatDevices` lists, less the removed); the target is the chat (a send) or the message (an edit).
 */
function strangerEnvelope(call: Call, env: MockEnv, ctx: AccessContext): number | undefined {
  const chat = ctx.target?.participants ? ctx.target : env.store.get('chats', String(ctx.target?.chatId));
  const participants = new Set(((chat?.participants ?? []) as Row[]).map((p) => p.userId));
  const ok = (id: string) => {
    const device = env.store.get('devices', id);
    return device !== undefined && !device.removedAt && participants.has(device.userId);
  };
  const at = envelopeDevices(call).findIndex((id) => !ok(id));
  return at === -1 ? undefined : at;
}

/** What exactly is wrong, for the checks that can say more than their `when` (a 422's details). */
const EXPLAIN: Record<string, (call: Call, env: MockEnv, ctx: AccessContext) => string | undefined> = {
  signedPreKeyVerifies: (call, _env, ctx) => preKeyProblem(call, ctx),
  envelopeDevicesOnce: (call) => {
    const [i, seen] = repeatedEnvelope(call)!;
    return `envelopes[${i}].deviceId ${envelopeDevices(call)[i]} has an envelope already (envelopes[${seen}])`;
  },
  envelopeDevicesInChat: (call, env, ctx) => {
    const i = strangerEnvelope(call, env, ctx)!;
    return `envelopes[${i}].deviceId ${envelopeDevices(call)[i]} is not an active device of a participant of the chat`;
  },
};

export function explainCheck(name: string, call: Call, env: MockEnv, ctx: AccessContext): string | undefined {
  return EXPLAIN[name]?.(call, env, ctx);
}

export const CHECK_NAMES: ReadonlySet<string> = new Set(Object.keys(CHECKS));

export function runCheck(name: string, call: Call, env: MockEnv, ctx: AccessContext): boolean {
  return CHECKS[name]!(call, env, ctx);
}
