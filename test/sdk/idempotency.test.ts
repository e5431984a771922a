import { afterEach, describe, expect, it } from 'vitest';
import { InternalServerError } from '../../src/index.js';
import { apiError, drop, json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { apiKeyBody, apiKeyRecord, testClient } from '../support/client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let server: FaultServer;
afterEach(() => server?.close());

describe('idempotency keys', () => {
  it('gives every creating POST a random UUID, the same on each retry, a new one per call', async () => {
    server = await startFaultServer((req, res, i) =>
      i % 3 < 2 ? apiError(res, 503, 'INTERNAL', 'busy') : json(res, 201, { ...apiKeyRecord, secret: 'ak_test_x' }),
    );
    const coveton = testClient(server.url);
    await coveton.apiKeys.create(apiKeyBody);
    await coveton.apiKeys.create(apiKeyBody);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(server.requests).toHaveLength(6);
    expect(keys[0]).toMatch(UUID);
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(keys.slice(3)).toEqual([keys[3], keys[3], keys[3]]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('uses the caller\'s key as given, on the raw client too', async () => {
    server = await startFaultServer((req, res) => json(res, 201, { ...apiKeyRecord, secret: 'ak_test_x' }));
    const coveton = testClient(server.url);
    await coveton.apiKeys.create(apiKeyBody, { idempotencyKey: 'order-42' });
    await coveton.POST('/api-keys', { body: apiKeyBody, params: { header: { 'Idempotency-Key': 'order-43' } } });
    await coveton.POST('/api-keys', { body: apiKeyBody });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-43', expect.stringMatching(UUID)]);
  });

  it('sends no key where the operation takes none, and then never retries a POST', async () => {
    server = await startFaultServer((req, res) => apiError(res, 500, 'INTERNAL', 'boom'));
    const coveton = testClient(server.url);
    await expect(coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('survives a lost response: the server commits, drops the connection, and the retry gets the one resource', async () => {
    const created = new Map<string, { id: string }>();
    server = await startFaultServer((req, res) => {
      const key = String(req.headers['idempotency-key']);
      const replay = created.get(key);
      if (replay) return json(res, 201, replay, { 'Idempotent-Replayed': 'true' });
      const resource = { ...apiKeyRecord, id: `key_${created.size + 1}x`, secret: 'ak_test_once' };
      created.set(key, resource);
      drop(res); // committed, but the answer is lost
    });
    const coveton = testClient(server.url);
    const key = await coveton.apiKeys.create(apiKeyBody);
    expect(server.requests).toHaveLength(2);
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(created.size).toBe(1);
    expect(key.id).toBe('key_1x');
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });
});
