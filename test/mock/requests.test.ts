// The mock as raw HTTP sees it: the seeds' documented curl requests are accepted; a request that
// breaks the contract is answered with the envelope naming the violation; credentials give the
// right 401/403 reason; CORS exposes the figures; the control endpoints reset and seed; and it
// starts in under 3 seconds.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED, startMock } from '../../src/mock/index.js';
import { bundledSpecPath } from '../../src/tools/spec-files.js';
import { httpClient, type Json } from './http.js';
import { ADA, useMock } from './support.js';

// The seeds are dated June 2026: the mock's clock runs from then, so their `expiresAt` is ahead.
const t0 = Date.now();
const mock = useMock({ rateLimit: false, now: () => Date.parse('2026-06-20T16:00:00Z') + (Date.now() - t0) });

const { call } = httpClient(() => mock().url);

describe('the seeds’ curl examples (002, 000), host changed to the mock', () => {
  it('are all accepted', async () => {
    const login = await call('POST', '/v1/auth/login', { body: { email: 'ada@example.com', password: 'a-strong-passphrase' } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    // Register: the seed's own account exists already (409); the same request for a new address is a 201.
    expect((await call('POST', '/v1/auth/register', { body: { email: 'ada@example.com', password: 'a-strong-passphrase', displayName: 'Ada Lovelace' } })).status).toBe(409);
    expect((await call('POST', '/v1/auth/register', { body: { email: 'ada2@example.com', password: 'a-strong-passphrase', displayName: 'Ada Lovelace' } })).status).toBe(201);
    expect((await call('GET', '/v1/auth/me', { token })).body.email).toBe('ada@example.com');
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    const sent = await call('POST', '/v1/messages', {
      token,
      headers: { 'Idempotency-Key': '9f1c2b7e-3a4d-4f8a-9c2e-1b0d5e6f7a8b' },
      body: {
        chatId: 'chat_8f2a',
        contentType: 'text/plain',
        ciphertext: 'BASE64_OPAQUE_CIPHERTEXT',
        envelopes: [
          { deviceId: 'dev_a1', header: 'SEALED_KEY_FOR_DEVICE_A1' },
          { deviceId: 'dev_b2', header: 'SEALED_KEY_FOR_DEVICE_B2' },
        ],
        expiresAt: '2026-06-21T12:00:00Z',
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.ciphertext).toBe('BASE64_OPAQUE_CIPHERTEXT'); // stored verbatim
    const page = await call('GET', `/v1/chats/${SEED.chatId}/messages?limit=50&before=${sent.body.id}`, { token });
    expect(page.status).toBe(200);
    expect((await call('POST', '/v1/organizations', { token, body: { name: 'Analytical Engine Co', slug: 'analytical-engine' } })).status).toBe(201);
    const presign = await call('POST', '/v1/files/presign', { token, body: { filename: 'report.enc', contentType: 'application/octet-stream', size: 482711 } });
    expect(presign.body).toMatchObject({ fileId: expect.stringMatching(/^file_/), expiresIn: 900 });
    const checkout = await call('POST', `/v1/subscriptions/${SEED.organizationId}/checkout`, { token, body: { plan: 'team_annual', provider: 'stripe', successUrl: 'https://app.example.com/billing' } });
    expect(checkout.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    // Seed 000 against the sandbox: a test key is accepted; its production key is the wrong environment here.
    expect((await call('GET', '/v1/utils/authtest', { token: 'ak_test_xxx000000000000000000000' })).body).toEqual({ msg: 'Auth successful' });
    expect((await call('GET', '/v1/utils/authtest', { token: 'ak_live_xxx' })).body.error.reason).toBe('wrong_environment');
  });
});

describe('contract violations and credentials', () => {
  it('a request that breaks the contract gets the envelope naming the violation', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const wrongId = await call('PATCH', '/api-keys/ak_abc123', { token, body: { name: 'x' } });
    expect(wrongId.status).toBe(404);
    expect(wrongId.body.error.message).toContain('path.id: must match pattern "^key_[A-Za-z0-9]+$" (rule: pattern)');
    const bad = await call('POST', '/api-keys', { token, body: { name: '', type: 'robot', environment: 'sandbox' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(bad.body.error.details.map((d: Json) => d.path).sort()).toEqual(['name', 'type']);
    expect(bad.body.error.message).toMatch(/body\.type: .*allowed values.*\(rule: enum\)/);
    expect((await call('GET', '/teams?organizationId=org_7Qk2mP4x&limit=500', { token })).body.error.message).toContain('query.limit');
    expect((await call('GET', '/nowhere', { token })).status).toBe(404);
    expect((await call('PUT', '/teams', { token })).headers.get('allow')).toBe('GET, POST');
  });

  it('credentials: each refusal carries its reason', async () => {
    const reason = async (token: string | undefined, path = '/utils/authtest', init: Json = {}) => (await call(init.method ?? 'GET', path, { token, ...init })).body.error?.reason;
    expect(await reason(undefined)).toBe('credentials_missing');
    expect(await reason('not-a-token')).toBe('token_invalid');
    expect(await reason('aaa.bbb.ccc')).toBe('token_invalid');
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    expect((await call('POST', '/auth/login', { body: { ...ADA, password: 'wrong-passphrase' } })).body.error.reason).toBe('invalid_credentials');
    const make = async (body: Json, by = token) => (await call('POST', '/api-keys', { token: by, body: { type: 'service', environment: 'sandbox', ...body } })).body;
    const narrow = await make({ name: 'narrow', permissions: ['messages:read'] });
    expect(await reason(narrow.secret, '/api-keys')).toBe('insufficient_scope');
    const admin = await make({ name: 'admin', permissions: ['keys:manage'] });
    expect((await make({ name: 'wider', permissions: ['*'] }, admin.secret)).error.reason).toBe('scope_grant_forbidden');
    expect((await make({ name: 'prod', permissions: ['keys:manage'], environment: 'production' }, admin.secret)).error.reason).toBe('environment_forbidden');
    expect((await make({ name: 'prod', environment: 'production' })).error.reason).toBe('enterprise_required');
    const fenced = await make({ name: 'fenced', allowedIps: ['10.0.0.0/24'] });
    expect(await reason(fenced.secret)).toBe('ip_not_allowed');
    const open = await make({ name: 'open', allowedIps: ['127.0.0.0/8'] });
    expect((await call('GET', '/utils/authtest', { token: open.secret })).status).toBe(200);
    await call('PATCH', `/api-keys/${open.id}`, { token, body: { status: 'suspended' } });
    expect(await reason(open.secret)).toBe('key_suspended');
    await call('PATCH', `/api-keys/${open.id}`, { token, body: { status: 'revoked' } });
    expect(await reason(open.secret)).toBe('key_revoked');
  });

  it('permissions left out ask for the default, full access: a key that lacks `*` may not grant it that way either', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const make = async (body: Json, by: string) => call('POST', '/api-keys', { token: by, body: { type: 'service', environment: 'sandbox', ...body } });
    const admin = (await make({ name: 'admin', permissions: ['keys:manage'] }, token)).body;
    const before = (await call('GET', '/api-keys?limit=100', { token })).body.length;
    const escalated = await make({ name: 'no permissions named' }, admin.secret);
    expect({ status: escalated.status, code: escalated.body.error?.code, reason: escalated.body.error?.reason }).toEqual({ status: 403, code: 'FORBIDDEN', reason: 'scope_grant_forbidden' });
    expect((await call('GET', '/api-keys?limit=100', { token })).body.length).toBe(before);
    // An update that leaves `permissions` out changes none: nothing to hold.
    expect((await call('PATCH', `/api-keys/${admin.id}`, { token: admin.secret, body: { name: 'renamed' } })).status).toBe(200);
    // A user (not limited by scopes) and a full-access key still get the default.
    expect((await make({ name: 'by a user' }, token)).body.permissions).toEqual(['*']);
    const full = (await make({ name: 'full', permissions: ['*'] }, token)).body;
    expect((await make({ name: 'by a full key' }, full.secret)).body.permissions).toEqual(['*']);
  });

  it('CORS: a loopback origin is answered, its preflight too, with the figures and request id exposed', async () => {
    const origin = 'http://localhost:5173';
    const pre = await fetch(`${mock().url}/api-keys`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, idempotency-key' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, idempotency-key');
    const res = await fetch(`${mock().url}/utils/authtest`, { headers: { origin, authorization: 'Bearer ak_test_cors00000000000000000000' } });
    expect(res.headers.get('access-control-expose-headers')).toBe('X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Request-Id');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('POST /__mock/reset restores the seed', async () => {
    const token = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    const team = await call('POST', '/teams', { token, body: { organizationId: SEED.organizationId, name: 'Ephemeral' } });
    expect((await fetch(`${mock().url}/__mock/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(204);
    const again = (await call('POST', '/auth/login', { body: ADA })).body.accessToken;
    expect((await call('GET', `/teams/${team.body.id}`, { token: again })).status).toBe(404);
    expect((await call('GET', '/users/me', { token })).body.error.reason).toBe('token_invalid'); // tokens are state too
  });

  it('a body over the limit is a 413 that closes its connection: the next calls on the kept-alive client all get answers', async () => {
    const huge = await fetch(`${mock().url}/api-keys`, {
      method: 'POST',
      headers: { authorization: 'Bearer ak_test_x00000000000000000000000', 'content-type': 'application/json' },
      body: 'x'.repeat(17 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('connection')).toBe('close');
    await huge.text();
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(await call('GET', '/__mock/health').then((r) => r.status, (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message));
    }
    expect(statuses).toEqual(Array(8).fill(200));
  });
});

describe('a second mock: seed file, a collection cap, a broken answer, start-up time', () => {
  it('--seed adds records, the cap bounds memory, and an answer that breaks the contract is a 500 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coveton-mock-test-'));
    writeFileSync(join(dir, 'seed.json'), JSON.stringify({ users: [{ email: 'grace@example.com', password: 'another-passphrase', displayName: 'Grace Hopper' }] }));
    // A spec where User requires a field the mock never sets: every answer with a user breaks it.
    const spec = JSON.parse(readFileSync(bundledSpecPath('openapi.json'), 'utf8'));
    spec.components.schemas.User.required.push('nickname');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(spec));
    const started = Date.now();
    const other = await startMock({ seed: join(dir, 'seed.json'), collectionCap: 5, specPath: join(dir, 'broken.json') });
    console.log(`in-process start-up: ${other.startupMs} ms (${Date.now() - started} ms to a resolved promise)`);
    expect(other.startupMs).toBeLessThan(3000);
    try {
      const login = await fetch(`${other.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'grace@example.com', password: 'another-passphrase' }) });
      expect(login.status).toBe(500);
      const body = (await login.json()) as Json;
      expect(body.error.message).toContain("would break the contract: response.body.user: must have required property 'nickname'");
      expect(other.violations).toEqual([{ operation: 'POST /auth/login', status: 200, violations: [expect.stringContaining('nickname')] }]);
      const auth = { authorization: 'Bearer ak_test_capCheck0000000000000000', 'content-type': 'application/json' };
      for (let i = 0; i < 8; i++) {
        await fetch(`${other.url}/teams`, { method: 'POST', headers: auth, body: JSON.stringify({ organizationId: SEED.organizationId, name: `Team ${i}` }) });
      }
      const teams = (await (await fetch(`${other.url}/teams?organizationId=${SEED.organizationId}`, { headers: auth })).json()) as Json[];
      expect(teams.map((t) => t.name)).toEqual(['Team 7', 'Team 6', 'Team 5', 'Team 4', 'Team 3']);
    } finally {
      await other.close();
    }
  });
});
