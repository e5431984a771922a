// Pluggable authentication: an Authenticator sees each API request whole, sets its headers and
// declares its secrets. A new scheme is one object: the HMAC request signing below lives in this
// file only, and the SDK signs, redacts and keeps it off storage requests without a change.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyAuth, bearerAuth, CovetonInputError, type Authenticator, type AuthRequest } from '../../src/index.js';
import { apiError, type FaultServer, json, type Recorded, serverFixture } from '../support/fault-server.js';
import { startFilesServer } from '../support/files-server.js';
import { apiKeyBody, apiKeyRecord, createCoveton, testClient } from '../support/client.js';
import type { Logger } from '../../src/public/logger.js';

const { serve, track } = serverFixture();
let server: FaultServer | undefined;

// ---- The new scheme: HMAC-SHA256 over method, path and query, timestamp and body digest. ----
const SIGNING_SECRET = 'whsk_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function canonical(method: string, pathAndQuery: string, timestamp: string, body: string | Uint8Array): string {
  return [method, pathAndQuery, timestamp, createHash('sha256').update(body).digest('hex')].join('\n');
}

function hmacAuth(keyId: string, secret: string, now: () => number = Date.now): Authenticator {
  return {
    authenticate(request: AuthRequest) {
      const url = new URL(request.url);
      const timestamp = String(Math.floor(now() / 1000));
      const signature = createHmac('sha256', secret).update(canonical(request.method, url.pathname + url.search, timestamp, request.body ?? '')).digest('hex');
      request.headers['x-coveton-key-id'] = keyId;
      request.headers['x-coveton-timestamp'] = timestamp;
      request.headers['x-coveton-signature'] = `v1=${signature}`;
    },
    secrets: () => [secret],
  };
}
// ---- end of the scheme ----

/** What the server checks: the signature over what it received. */
function verified(req: Recorded): boolean {
  const given = String(req.headers['x-coveton-signature'] ?? '').replace(/^v1=/, '');
  const expected = createHmac('sha256', SIGNING_SECRET).update(canonical(req.method, req.path, String(req.headers['x-coveton-timestamp']), req.raw)).digest('hex');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe('a request-signing scheme added in one file', () => {
  it('the server sees a correct signature over method, path, query and body, and no other credential', async () => {
    server = await serve((req, res) => (verified(req) ? json(res, req.method === 'POST' ? 201 : 200, req.method === 'GET' && req.path.startsWith('/api-keys?') ? [] : apiKeyRecord) : apiError(res, 401, 'UNAUTHORIZED', 'bad signature')));
    const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', auth: hmacAuth('kid_1', SIGNING_SECRET) });
    await coveton.apiKeys.create({ ...apiKeyBody, description: 'ünïcødé' });
    await coveton.apiKeys.list({ status: 'active', limit: 5 });
    await coveton.POST('/api-keys', { body: apiKeyBody });
    expect(server.requests.map(verified)).toEqual([true, true, true]);
    for (const req of server.requests) {
      expect(req.headers['x-coveton-key-id']).toBe('kid_1');
      expect(req.headers).not.toHaveProperty('authorization');
      expect(req.headers).not.toHaveProperty('x-api-key');
    }
    // A tampered body fails the server's check: the signature covers what was sent.
    const tampered = server.requests[0]!;
    expect(verified({ ...tampered, raw: Buffer.from(tampered.body.replace('CI', 'XX')) })).toBe(false);
  });

  it('its secret never appears in an error, its toJSON, or a log line, even when the server echoes it', async () => {
    server = await serve((req, res) =>
      apiError(res, 400, 'BAD_REQUEST', `signature computed with ${SIGNING_SECRET} did not match`, { details: [{ path: 'sig', message: SIGNING_SECRET }] }, { 'X-Request-Id': `req_${SIGNING_SECRET}` }),
    );
    const lines: string[] = [];
    const push = (message: string, data?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(data)}`);
    const logger: Logger = { debug: push, info: push, warn: push, error: push };
    const coveton = createCoveton({ baseUrl: server.url, logger, logLevel: 'debug', auth: hmacAuth('kid_1', SIGNING_SECRET) });
    const error = (await coveton.apiKeys.get('key_1').catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('BadRequestError');
    const shown = [error.message, JSON.stringify(error), JSON.stringify((error as { body?: unknown }).body), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(shown).toContain('[REDACTED]');
    expect(shown).not.toContain(SIGNING_SECRET);
  });

  it('presigned storage requests never get the signature; the presign does', async () => {
    const files = await startFilesServer();
    server = track(files.server);
    const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', auth: hmacAuth('kid_1', SIGNING_SECRET) });
    const { fileId } = await coveton.files.upload(new Uint8Array([1, 2, 3]), { filename: 'a.enc', contentType: 'application/octet-stream' });
    await coveton.files.download(fileId);
    const api = server.requests.filter((r) => r.path.startsWith('/files/'));
    expect(api.map(verified)).toEqual([true, true]);
    expect(files.storageRequests).toHaveLength(2);
    for (const put of files.storageRequests) expect(Object.keys(put.headers).filter((h) => h.startsWith('x-coveton') || h === 'authorization')).toEqual([]);
  });
});

describe('the built-in authenticators', () => {
  it('apiKeyAuth as X-API-Key, bearerAuth read per request; a caller\'s own Authorization header goes as given', async () => {
    server = await serve((req, res) => json(res, 200, apiKeyRecord));
    await createCoveton({ baseUrl: server.url, logLevel: 'off', auth: apiKeyAuth('ak_test_viaAuth123456', { header: 'x-api-key' }) }).apiKeys.get('k');
    let token = 'tok_1';
    const bearer = createCoveton({ baseUrl: server.url, logLevel: 'off', auth: bearerAuth(() => token) });
    await bearer.apiKeys.get('k');
    token = 'tok_2';
    await bearer.apiKeys.get('k');
    await bearer.apiKeys.get('k', { headers: { Authorization: 'Bearer own' } });
    expect(server.requests.map((r) => r.headers['x-api-key'] ?? r.headers.authorization)).toEqual(['ak_test_viaAuth123456', 'Bearer tok_1', 'Bearer tok_2', 'Bearer own']);
  });

  it('an authenticator with renew: after 401 token_expired it renews once and the request is sent again', async () => {
    server = await serve((req, res) =>
      req.headers.authorization === 'Bearer fresh' ? json(res, 200, apiKeyRecord) : apiError(res, 401, 'UNAUTHORIZED', 'expired', { reason: 'token_expired' }),
    );
    const renewals: string[] = [];
    const auth: Authenticator = {
      authenticate: (request) => {
        request.headers.authorization = 'Bearer stale';
        return 'stale';
      },
      renew: async (credential, request) => {
        renewals.push(credential);
        request.headers.authorization = 'Bearer fresh';
      },
      secrets: () => ['stale', 'fresh'],
    };
    await expect(createCoveton({ baseUrl: server.url, logLevel: 'off', auth }).apiKeys.get('k')).resolves.toMatchObject({ id: apiKeyRecord.id });
    expect(renewals).toEqual(['stale']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('auth replaces apiKey: both, or an object without authenticate() and secrets(), is refused', () => {
    expect(() => testClient('https://api.test', { auth: bearerAuth('t') })).toThrow(CovetonInputError);
    expect(() => createCoveton({ baseUrl: 'https://api.test', auth: { authenticate: () => {} } as never })).toThrow(/auth: needs authenticate\(\) and secrets\(\)/);
  });
});
