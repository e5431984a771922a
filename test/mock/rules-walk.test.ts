// Every operation's x- rules walked against the mock, generated from the spec: for each
// operation, a caller the rules permit gets the operation's success status, and each caller
// they forbid gets exactly the refusal they name (401 without a credential, 403
// insufficient_scope for a key without the scope, 403 user_required for a key where only a user
// may call, 404 for someone who may not see the target, 403 with the reason of each role or
// `self` rule; a list shows an outsider none of the records), and the invariants a world can be
// put in generically answer theirs (the same create twice: a `unique` one; after the organization
// is suspended: `organization_suspended`, or `already_suspended`). The requests are the spec's own
// examples with their ids pointed at the fixtures below, so an operation added to the spec is
// walked without a change here, as long as its ids have a fixture.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEED, startMock } from '../../src/mock/index.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';
import { idPrefix } from '../../src/tools/ids.js';
import { signProcessorEvent, providerOfHeader } from '../../src/tools/processors.js';
import { bundledSpecPath } from '../../src/tools/spec-files.js';
import { loadSpecModel, type Operation, type Schema } from '../../src/tools/spec-model.js';
import { httpClient, PEOPLE, peopleSeed, type Answer, type Json, type Person } from './http.js';
import { useMock } from './support.js';

const PROCESSOR_SECRET = 'whsec_walk_processor';
const org = SEED.organizationId;
const { ada, bea, cy, dan } = PEOPLE;
const FULL_KEY = 'ak_test_walkFullAccess0100000000';
const NARROW = { 'notifications:read': 'ak_test_walkOnlyNotifications000', 'messages:read': 'ak_test_walkOnlyMessagesRead0000' };

function fixtures() {
  const seed = peopleSeed();
  const now = '2026-01-05T09:00:00Z';
  const key = (id: string, secret: string, permissions: string[]) => ({ id, name: id, type: 'service', environment: 'sandbox', permissions, status: 'active', keyPrefix: secret.slice(0, 16), secret, organizationId: org, userId: ada.id });
  return {
    ...seed,
    chats: [{ id: 'chat_Fixture01', type: 'group', name: 'Walk', organizationId: org, participants: [ada, bea].map((p) => ({ userId: p.id, role: p === ada ? 'owner' : 'member', deviceIds: [p.deviceId], joinedAt: now })), createdAt: now }],
    messages: [{ id: 'msg_Fixture01', chatId: 'chat_Fixture01', senderId: ada.id, senderDeviceId: 'dev_a1', contentType: 'text/plain', ciphertext: 'QUJD', envelopes: [{ deviceId: bea.deviceId, header: 'U0VBTEVE' }], fileIds: [], reactions: [], expiresAt: null, editedAt: null, createdAt: now }],
    teams: [{ id: 'team_Fixture01', organizationId: org, name: 'Walkers' }],
    departments: [{ id: 'dept_Fixture01', organizationId: org, name: 'Walking' }],
    roles: [{ id: 'role_Fixture01', organizationId: org, name: 'Walker', permissions: ['messages:read'], builtIn: false }],
    invites: [{ id: 'inv_Fixture01', organizationId: org, email: dan.email, role: 'member', status: 'pending', invitedBy: ada.id, expiresAt: '2099-01-01T00:00:00Z', token: 'inv_tok_walkFixture' }],
    'api-keys': [key('key_Fixture01', FULL_KEY, ['*']), key('key_Narrow01', NARROW['notifications:read'], ['notifications:read']), key('key_Narrow02', NARROW['messages:read'], ['messages:read'])],
    notifications: ['ntf_Fixture01', 'ntf_Fixture02'].map((id) => ({ id, type: 'security', title: id, read: false, userId: ada.id })),
    invoices: [{ id: 'in_Fixture01', organizationId: org, number: 'COV-2026-0001', status: 'paid', currency: 'USD', amountDue: 100, amountPaid: 100, periodStart: now, periodEnd: now, paidAt: now, hostedInvoiceUrl: null }],
  };
}

// The spec's examples are dated June 2026: the clock starts there so their `expiresAt` lies ahead.
const mock = useMock({ seed: fixtures(), processorSecret: PROCESSOR_SECRET, rateLimit: false, clock: '2026-06-20T16:00:00Z' });
/** The mock the walk talks to (the last test points it at one whose spec lost some rules). */
let base = () => mock().url;
const { call, control, signIn } = httpClient(() => base());
const spec = loadSpecModel();

interface World {
  tokens: Map<Person, string>;
  ids: Record<string, string[]>;
  refreshToken: string;
  resetToken: string;
}

/** A fresh world: the seed and fixtures, everyone signed in, a file uploaded, a reset token mailed. */
async function freshWorld(): Promise<World> {
  await control('/reset');
  const tokens = new Map<Person, string>();
  for (const p of [ada, bea, cy, dan]) tokens.set(p, (await signIn(p)).accessToken);
  const adaToken = tokens.get(ada)!;
  const presign = await call('POST', '/files/presign', { token: adaToken, body: { filename: 'walk.enc', contentType: 'application/octet-stream', size: 4 } });
  await fetch(presign.body.uploadUrl, { method: 'PUT', body: 'walk' });
  const session = ((await call('GET', '/sessions', { token: adaToken })).body as unknown as { id: string; current: boolean }[]).find((s) => s.current)!;
  await call('POST', '/auth/forgot-password', { body: { email: dan.email } });
  const resetToken = ((await control('/outbox')).body as unknown as { to: string; token: string }[]).find((m) => m.to === dan.email)!.token;
  return {
    tokens,
    refreshToken: (await signIn(ada)).refreshToken,
    resetToken,
    ids: {
      org_: [org], team_: ['team_Fixture01'], dept_: ['dept_Fixture01'], role_: ['role_Fixture01'], inv_: ['inv_Fixture01'], key_: ['key_Fixture01'],
      ntf_: ['ntf_Fixture01', 'ntf_Fixture02'], in_: ['in_Fixture01'], chat_: ['chat_Fixture01'], msg_: ['msg_Fixture01'], dev_: ['dev_a1', bea.deviceId],
      mem_: [cy.memberId, bea.memberId], file_: [presign.body.fileId], sess_: [session.id], usr_: [cy.id, bea.id, ada.id],
    },
  };
}

const accessOf = (op: Operation) => op.raw['x-access'] as Json;

/** Who the rules permit: the lowest role they allow, the invitee, a plain member, or Ada (who owns the fixtures). */
function permitted(op: Operation): Person | undefined {
  const access = accessOf(op);
  if (access.caller === 'public' || access.caller === 'signature') return undefined;
  const roles = (access.require ?? []).find((r: Json) => r.roles)?.roles as string[] | undefined;
  if (roles) return roles.includes('member') ? cy : roles.includes('admin') ? bea : ada;
  if ((access.require ?? []).some((r: Json) => r.check === 'signedInAsInvitee')) return dan;
  if (access.target?.visibleTo.includes('members')) return cy;
  return ada;
}

/** An example id: a prefix and a tail with a digit (`chat_8f2aK3mQ`; not the plan `team_annual`). */
const ID = /^([a-z]+_)(?=[A-Za-z]*\d)[A-Za-z0-9]+$/;

/** The example value of `op`'s request with every id pointed at a fixture (other users than `caller`). */
function pointAtFixtures(value: unknown, world: World, caller: Person | undefined, seen: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const prefix = ID.exec(value)?.[1];
    const pool = prefix ? world.ids[prefix]?.filter((id) => id !== caller?.id) : undefined;
    if (!pool?.length) return value;
    if (!seen.has(value)) seen.set(value, pool[[...seen.keys()].filter((k) => k.startsWith(prefix!)).length % pool.length]!);
    return seen.get(value);
  }
  if (Array.isArray(value)) return value.map((v) => pointAtFixtures(v, world, caller, seen));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pointAtFixtures(v, world, caller, seen)]));
  return value;
}

/** A value like `value` that no record has yet: an email, a base64 key, a slug or handle, a name. */
function fresh(value: unknown): unknown {
  if (typeof value !== 'string' || ID.test(value)) return value;
  const hex = randomBytes(3).toString('hex');
  if (value.includes('@')) return `walk${hex}-${value}`;
  if (/^[A-Za-z0-9+/]{17,}={0,2}$/.test(value)) return randomBytes(24).toString('base64');
  if (/^[a-z0-9_-]+$/.test(value)) return `${value.slice(0, 20)}${hex}`;
  return `${value} ${hex}`;
}

interface Request {
  method: string;
  path: string;
  body?: unknown;
  headers: Record<string, string>;
}

function requestFor(op: Operation, world: World, caller: Person | undefined): Request {
  const seen = new Map<string, string>();
  const params = [...((spec.doc.paths[op.path]?.parameters ?? []) as Schema[]), ...((op.raw.parameters ?? []) as Schema[])].map((p) => spec.resolve(p)!);
  const example = (p: Schema) => p.example ?? spec.resolve(p.schema)?.example ?? spec.resolve(p.schema)?.enum?.[0];
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of params) {
    const schema = spec.resolve(p.schema) ?? {};
    const prefix = idPrefix(schema.pattern);
    // An id parameter becomes an example id of its kind, which the fixtures replace.
    const raw = prefix ? `${prefix}Example0${p.name}` : example(p);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(pointAtFixtures(raw, world, caller, seen))));
    if (p.in === 'query' && p.required) query.set(p.name, String(pointAtFixtures(raw, world, caller, seen)));
  }
  const media = spec.resolve(op.raw.requestBody)?.content?.['application/json'];
  let body = media ? pointAtFixtures(media.example ?? (Object.values(media.examples ?? {})[0] as Json | undefined)?.value, world, caller, seen) : undefined;
  if (body && typeof body === 'object') {
    const b = body as Json;
    // Values the create makes unique get fresh ones; tokens are the world's own.
    for (const inv of (op.raw['x-invariants'] ?? []) as Json[]) for (const ref of Object.values(inv.unique?.match ?? {}) as string[]) if (ref.startsWith('body.')) b[ref.slice(5)] = fresh(b[ref.slice(5)]);
    // A new device's bundle must verify (signed_pre_key_invalid): fresh keys, really signed.
    if ('identityKey' in b && 'signedPreKey' in b) Object.assign(b, deviceKeyBundle());
    if ('refreshToken' in b) b.refreshToken = world.refreshToken;
    if ('token' in b) b.token = accessOf(op).target?.collection === 'invites' ? 'inv_tok_walkFixture' : world.resetToken;
    body = b;
  }
  const headers: Record<string, string> = { 'idempotency-key': randomBytes(8).toString('hex') };
  return { method: op.method.toUpperCase(), path: `${path}${query.size ? `?${query}` : ''}`, body, headers };
}

async function send(req: Request, token: string | undefined, op: Operation): Promise<Answer> {
  const headers = { ...req.headers };
  if (accessOf(op).caller === 'signature') Object.assign(headers, await signProcessorEvent(providerOfHeader(op.signatureHeaders[0]!)!, JSON.stringify(req.body), PROCESSOR_SECRET));
  const res = await fetch(base() + req.path, {
    method: req.method,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Json) : {} };
}

const counts: Record<string, number> = {};
let counting = true;
const seenOps: Record<string, Set<string>> = {};
afterAll(() => {
  const lines = Object.entries(counts).map(([kind, n]) => `${kind}: ${n} checks on ${seenOps[kind]!.size} operations`);
  console.log(`rules walk, ${spec.operations.length} operations:\n  ${lines.join('\n  ')}`);
});

/** The world the last walk left, while nothing changed it (a GET by the permitted caller). */
let cached: World | undefined;

/** Walks one operation: its forbidden callers on the fixture world, then its permitted caller; the problems found. */
async function walk(op: Operation): Promise<string[]> {
  const world = (cached ??= await freshWorld());
  if (op.method !== 'get') cached = undefined;
  const access = accessOf(op);
  const problems: string[] = [];
  const check = async (kind: string, token: string | undefined, caller: Person | undefined, expected: (a: Answer) => string | undefined, req = requestFor(op, world, caller)) => {
    if (counting) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      (seenOps[kind] ??= new Set()).add(op.id);
    }
    const answer = await send(req, token, op);
    const wrong = expected(answer);
    if (wrong) problems.push(`${kind}: ${wrong}; got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  const refused = (status: number, code: string, reason?: string) => (a: Answer) =>
    a.status === status && a.body.error?.code === code && a.body.error?.reason === reason ? undefined : `expected ${status} ${code} ${reason ?? '(no reason)'}`;

  // The forbidden callers first, on the fixture world; none of them may change it.
  if (access.caller === 'any' || access.caller === 'user') await check('credential', undefined, undefined, refused(401, 'UNAUTHORIZED', 'credentials_missing'));
  if (access.caller === 'user') await check('user only', FULL_KEY, ada, refused(403, 'FORBIDDEN', 'user_required'));
  if (access.scope) {
    const narrow = access.scope === 'notifications:read' ? NARROW['messages:read'] : NARROW['notifications:read'];
    await check('scope', narrow, ada, refused(403, 'FORBIDDEN', 'insufficient_scope'));
  }
  const example = requestFor(op, world, dan);
  const named = !access.target?.id.startsWith('body.') || (example.body as Json | undefined)?.[access.target.id.slice(5)] !== undefined;
  if (access.target && named && !access.target.visibleTo.includes('anyone')) await check('visibility', world.tokens.get(dan), dan, refused(404, 'NOT_FOUND'));
  for (const rule of access.require ?? []) {
    if (rule.roles) {
      const below = !rule.roles.includes('member') ? (rule.roles.includes('admin') ? cy : bea) : undefined;
      if (below) await check('role', world.tokens.get(below), below, refused(403, 'FORBIDDEN', rule.reason));
    }
    if (rule.self) await check('self', world.tokens.get(bea), bea, refused(403, 'FORBIDDEN', rule.reason));
  }
  if (access.lists?.visibleTo && !access.target && !access.require && !access.lists.visibleTo.includes('anyone')) {
    const fixtureIds = new Set(Object.values(world.ids).flat().concat(SEED.chatId));
    await check('list visibility', world.tokens.get(dan), dan, (a) =>
      a.status !== 200 ? 'expected 200' : (a.body as unknown as Json[]).some?.((r) => fixtureIds.has(r.id)) ? "the list shows an outsider the fixtures' records" : undefined,
    );
  }
  // Then the permitted caller, who gets the documented success.
  const who = permitted(op);
  const token = who ? world.tokens.get(who) : undefined;
  const req = requestFor(op, world, who);
  await check('permitted', token, who, (a) => (a.status === op.successStatus ? undefined : `expected ${op.successStatus} for ${who?.email ?? 'an anonymous caller'}`), req);
  // The invariants a world can be put in generically: the same create again, and a suspended organization.
  const invariants = (op.raw['x-invariants'] ?? []) as Json[];
  const unique = invariants.filter((i) => i.unique);
  if (op.successStatus === 201 && unique.length > 0 && problems.length === 0) {
    const again = { ...req, headers: { ...req.headers, 'idempotency-key': randomBytes(8).toString('hex') } };
    await check('invariant: unique', token, who, (a) => (unique.some((i) => a.status === i.status && a.body.error?.reason === i.reason) ? undefined : `expected ${unique.map((i) => `${i.status} ${i.reason}`).join(' or ')}`), again);
  }
  const suspended = invariants.find((i) => i.state?.field === 'status' && i.state.in.includes('suspended'));
  if (suspended) {
    cached = undefined;
    const later = await freshWorld();
    expect((await call('POST', `/organizations/${org}/suspend`, { token: later.tokens.get(ada), body: { reason: 'The walk' } })).status).toBe(200);
    await check('invariant: suspended', who && later.tokens.get(who), who, refused(suspended.status, suspended.status === 403 ? 'FORBIDDEN' : 'CONFLICT', suspended.reason), requestFor(op, later, who));
  }
  return problems;
}

describe('every operation, with a caller its rules permit and each caller they forbid', () => {
  for (const op of spec.operations) {
    it(`${op.id} (${op.method.toUpperCase()} ${op.path})`, async () => {
      expect(await walk(op)).toEqual([]);
    });
  }

  it('the walk fires: against a mock whose spec lost a scope, a self rule and a list audience, it reports exactly those', async () => {
    const doc = JSON.parse(readFileSync(bundledSpecPath('openapi.json'), 'utf8'));
    delete doc.paths['/teams/{id}'].get['x-access'].scope;
    delete doc.paths['/messages/{id}'].patch['x-access'].require;
    doc.paths['/chats'].get['x-access'].lists.visibleTo = ['anyone'];
    const dir = mkdtempSync(join(tmpdir(), 'coveton-walk-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
    const lax = await startMock({ specPath: join(dir, 'openapi.json'), seed: fixtures(), processorSecret: PROCESSOR_SECRET, rateLimit: false, clock: '2026-06-20T16:00:00Z' });
    base = () => lax.url;
    counting = false;
    cached = undefined;
    try {
      const found = async (id: string) => (await walk(spec.operations.find((o) => o.id === id)!)).map((p) => p.split(';')[0]);
      expect(await found('getTeam')).toEqual(['scope: expected 403 FORBIDDEN insufficient_scope']);
      expect(await found('updateMessage')).toEqual(['self: expected 403 FORBIDDEN not_sender']);
      expect(await found('listChats')).toEqual(["list visibility: the list shows an outsider the fixtures' records"]);
    } finally {
      base = () => mock().url;
      counting = true;
      cached = undefined;
      await lax.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
