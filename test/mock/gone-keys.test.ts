// An API key the mock issued (or seeded) and no longer holds is refused: deleted, dropped by the
// collection cap, or forgotten by a reset. Only an `ak_test_` key the mock never issued, of the
// secret's shape, is the sandbox's full-access key of the seeded organization (the docs' samples
// send such keys).
import { beforeEach, describe, expect, it } from 'vitest';
import { httpClient, outcome } from './http.js';
import { ADA, useMock } from './support.js';

const SEEDED_SECRET = 'ak_test_ciScopedKey0001';
// The cap must hold the default seed's largest collection (the 35 permissions).
const CAP = 40;
const mock = useMock({ rateLimit: false, collectionCap: CAP, seed: { 'api-keys': [{ id: 'key_SeededCi01', name: 'CI', type: 'service', environment: 'sandbox', permissions: ['messages:read'], secret: SEEDED_SECRET }] } });
const { call, control, signIn } = httpClient(() => mock().url);
const GONE = { status: 401, code: 'UNAUTHORIZED', reason: 'token_invalid' };

async function newKey(token: string, name: string): Promise<{ id: string; secret: string }> {
  const made = await call('POST', '/api-keys', { token, body: { name, type: 'service', environment: 'sandbox', permissions: ['messages:read'] } });
  expect(made.status).toBe(201);
  return made.body as { id: string; secret: string };
}

const useKey = (secret: string) => call('GET', '/utils/authtest', { headers: { 'x-api-key': secret } });

describe('API keys the mock no longer holds', () => {
  beforeEach(async () => void expect((await control('/reset')).status).toBe(204));

  it('a deleted key is a 401 token_invalid, not the sandbox full-access key (it cannot list or create keys)', async () => {
    const { accessToken } = await signIn({ id: '', ...ADA });
    const key = await newKey(accessToken, 'narrow');
    expect((await useKey(key.secret)).status).toBe(200);
    expect((await call('DELETE', `/api-keys/${key.id}`, { token: accessToken })).status).toBe(204);
    expect(outcome(await useKey(key.secret))).toEqual(GONE);
    expect(outcome(await call('GET', '/api-keys', { headers: { 'x-api-key': key.secret } }))).toEqual(GONE);
    const escalate = await call('POST', '/api-keys', { headers: { 'x-api-key': key.secret }, body: { name: 'escalated', type: 'service', environment: 'sandbox', permissions: ['*'] } });
    expect(outcome(escalate)).toEqual(GONE);
  });

  it(`a key dropped by the collection cap (${CAP} records) is a 401 token_invalid; the newest still works`, async () => {
    const { accessToken } = await signIn({ id: '', ...ADA });
    const first = await newKey(accessToken, 'first');
    let last = first;
    for (let i = 0; i < CAP; i++) last = await newKey(accessToken, `filler ${i}`);
    expect((await call('GET', `/api-keys/${first.id}`, { token: accessToken })).status).toBe(404);
    expect(outcome(await useKey(first.secret))).toEqual(GONE);
    expect((await useKey(last.secret)).status).toBe(200);
  });

  it('a seeded key with its secret, once deleted, is a 401 token_invalid; a reset brings it back', async () => {
    expect((await useKey(SEEDED_SECRET)).status).toBe(200);
    const { accessToken } = await signIn({ id: '', ...ADA });
    expect((await call('DELETE', '/api-keys/key_SeededCi01', { token: accessToken })).status).toBe(204);
    expect(outcome(await useKey(SEEDED_SECRET))).toEqual(GONE);
    expect((await control('/reset')).status).toBe(204);
    expect((await useKey(SEEDED_SECRET)).status).toBe(200);
  });

  it('a key issued before a reset is a 401 token_invalid after it', async () => {
    const { accessToken } = await signIn({ id: '', ...ADA });
    const key = await newKey(accessToken, 'before reset');
    expect((await control('/reset')).status).toBe(204);
    expect(outcome(await useKey(key.secret))).toEqual(GONE);
  });

  it('an ak_test_ key the mock never issued is the full-access sandbox key when it has the secret\'s shape', async () => {
    for (const secret of ['ak_test_AnyWellFormedSandboxKey0001', 'ak_test_Mdi9ewW3Ch81P6abc123def456']) {
      expect((await useKey(secret)).status, secret).toBe(200);
      expect((await call('GET', '/api-keys', { headers: { 'x-api-key': secret } })).status, secret).toBe(200);
    }
  });

  it('a malformed ak_test_ key (an empty CI variable, a short or mangled one) is a 401 token_invalid, as at the sandbox', async () => {
    for (const secret of ['ak_test_', 'ak_test_!!!', 'ak_test_undefined', 'ak_test_anything', 'ak_test_Mdi9ewW3Ch81P6abc123de-456']) {
      expect(outcome(await call('GET', '/utils/authtest', { token: secret })), secret).toEqual(GONE);
      expect(outcome(await call('GET', '/users/me', { headers: { 'x-api-key': secret } })), secret).toEqual(GONE);
    }
  });
});
