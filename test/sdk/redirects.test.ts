// Redirects (issue: no credential leaves its origin). Two in-process servers: the API, and
// another origin that records whatever reaches it. Node's fetch would forward X-API-Key and
// re-send a POST body across origins; the SDK follows nothing it should not.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RedirectError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, apiKeyBody, apiKeyRecord, testClient } from '../support/client.js';

let api: FaultServer;
let other: FaultServer;
afterEach(async () => {
  await api?.close();
  await other?.close();
});

const redirect = (status: number, location: string) => (req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(status, { Location: location });
  res.end();
};

describe('redirects', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} to another origin: a typed error naming status and origin; the other origin gets nothing`, async () => {
      other = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
      api = await startFaultServer(redirect(status, `${other.url}/steal?token=abc123`));
      const coveton = testClient(api.url, { apiKeyHeader: 'x-api-key', headers: { 'X-Team': 't1' } });
      const get = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
      const post = await coveton.apiKeys.create(apiKeyBody).catch((e: unknown) => e);
      const login = await coveton.session.login({ email: 'a@example.com', password: 'a-strong-passphrase' }).catch((e: unknown) => e);
      for (const error of [get, post, login]) {
        expect(error).toBeInstanceOf(RedirectError);
        expect((error as RedirectError).status).toBe(status);
        expect((error as RedirectError).message).toContain(other.url);
        expect((error as RedirectError).message).not.toContain('abc123');
      }
      expect(other.requests).toHaveLength(0);
      expect(api.requests).toHaveLength(3); // never retried either
    });
  }

  it('follows a same-origin redirect for a GET, with its credential; refuses one for a POST', async () => {
    api = await startFaultServer((req, res) => {
      if (req.path === '/api-keys/old') return redirect(301, '/api-keys/key_01HZX3K8W2Q9')(req, res);
      if (req.path === '/api-keys') return redirect(307, '/api-keys-v2')(req, res);
      return json(res, 200, apiKeyRecord);
    });
    const coveton = testClient(api.url);
    await expect(coveton.apiKeys.get('old')).resolves.toMatchObject({ id: 'key_01HZX3K8W2Q9' });
    expect(api.requests[1]!.headers.authorization).toMatch(/^Bearer ak_test_/);
    await expect(coveton.apiKeys.create(apiKeyBody)).rejects.toBeInstanceOf(RedirectError);
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/old', '/api-keys/key_01HZX3K8W2Q9', '/api-keys']);
  });

  it('a Location with a user name or password is refused, on the same origin too, and never sent', async () => {
    api = await startFaultServer((req, res) => {
      if (req.path === '/api-keys/key_1') return redirect(302, `${api.url.replace('://', '://evil:pw@')}/api-keys/moved`)(req, res);
      return json(res, 200, apiKeyRecord);
    });
    const error = await testClient(api.url).apiKeys.get('key_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).message).toContain('carries credentials');
    expect((error as RedirectError).message).not.toContain('pw');
    expect(api.requests.map((r) => r.path)).toEqual(['/api-keys/key_1']);
  });

  it('a Location echoing the API key in its path: redacted in the message, toJSON, location and util.inspect', async () => {
    api = await startFaultServer(redirect(302, `http://evil.example/steal/${TEST_KEY}/x`));
    const error = (await testClient(api.url).apiKeys.get('key_1').catch((e: unknown) => e)) as RedirectError;
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.location).toBe('http://evil.example/steal/[REDACTED]/x');
    expect([error.message, JSON.stringify(error), inspect(error)].join('\n')).not.toContain('SECRETsecret');
  });

  it('the OAuth starts keep their manual contract: the Location is the answer', async () => {
    api = await startFaultServer(redirect(302, 'https://accounts.google.com/o/oauth2/auth?state=xyz'));
    const coveton = testClient(api.url);
    await expect(coveton.auth.startGoogleOAuth({ redirectUri: 'https://app.example.com/cb', state: 'xyz' })).resolves.toEqual({ location: 'https://accounts.google.com/o/oauth2/auth?state=xyz' });
    expect(api.requests).toHaveLength(1);
  });

  it('a presigned download follows a redirect only to https', async () => {
    other = await startFaultServer((req, res) => {
      res.writeHead(200);
      res.end('bytes');
    });
    api = await startFaultServer((req, res) => {
      if (req.path.startsWith('/files/')) return json(res, 200, { fileId: 'file_1', url: `${api.url}/storage/file_1?X-Signature=s`, expiresIn: 60, size: 5, contentType: 'application/octet-stream', filename: 'x' });
      return redirect(302, `${other.url}/bucket/file_1`)(req, res);
    });
    const error = await testClient(api.url).files.download('file_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as Error).message).toContain('only to https');
    expect(other.requests).toHaveLength(0);
  });
});
