// The flows of a real integration, through the SDK against the stateful mock: a lost response
// replayed by its Idempotency-Key, 50 concurrent calls with an expired token making one refresh,
// a replayed refresh token ending the family, and an upload and download that round-trip.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { all, client, signedIn, useMock, ADA } from './support.js';

let skew = 0;
const mock = useMock({ rateLimit: false, now: () => Date.now() + skew });
const message = { chatId: SEED.chatId, contentType: 'text/plain', ciphertext: 'BASE64_OPAQUE_CIPHERTEXT', envelopes: [{ deviceId: 'dev_a1', header: 'SEALED_KEY_FOR_DEVICE_A1' }] };

describe('flows through the SDK', () => {
  it('a lost response is retried with the same Idempotency-Key and replays the one message', async () => {
    let lost = false;
    const seen: { key: string | null; replayed: string | null }[] = [];
    const c = await signedIn(mock(), {
      fetch: async (request) => {
        const response = await fetch(request);
        if (new URL(request.url).pathname === '/messages') {
          seen.push({ key: request.headers.get('idempotency-key'), replayed: response.headers.get('idempotent-replayed') });
          if (!lost) {
            lost = true; // the server created the message, but the answer never arrives
            throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
          }
        }
        return response;
      },
    });
    const before = (await all(c.chats.listMessages(SEED.chatId))).length;
    const sent = await c.messages.send(message);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]).toEqual({ key: seen[0]!.key, replayed: 'true' });
    const after = await all(c.chats.listMessages(SEED.chatId));
    expect(after).toHaveLength(before + 1);
    expect(after[0]!.id).toBe(sent.id);
  });

  it('the same Idempotency-Key with another body is rejected with 422 naming the key', async () => {
    const c = await signedIn(mock());
    await c.messages.send(message, { idempotencyKey: 'flow-key-1' });
    const error = await c.messages.send({ ...message, ciphertext: 'QU5PVEhFUg' }, { idempotencyKey: 'flow-key-1' }).catch((e) => e);
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION', details: [{ path: 'Idempotency-Key', message: 'was first used with a different request body' }] });
  });

  it('50 concurrent calls with an expired access token make exactly one refresh', async () => {
    const c = await signedIn(mock());
    skew += 16 * 60_000; // the mock's clock passes the 15-minute access token lifetime
    const refreshesBefore = mock().refreshCount();
    const users = await Promise.all(Array.from({ length: 50 }, () => c.users.getCurrent()));
    expect(users.every((u) => u.email === ADA.email)).toBe(true);
    expect(mock().refreshCount() - refreshesBefore).toBe(1);
  });

  it('a replayed refresh token revokes the whole family', async () => {
    const raw = client(mock());
    await raw.session.login(ADA);
    const { refreshToken } = (await raw.session.tokens())!;
    const post = (body: unknown) => fetch(`${mock().url}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await post({ refreshToken });
    expect(first.status).toBe(200);
    const next = (await first.json()) as { refreshToken: string; accessToken: string };
    const replay = await post({ refreshToken });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { reason: string } }).error.reason).toBe('refresh_token_reused');
    // The rotated pair of the same family is dead too.
    expect((await post({ refreshToken: next.refreshToken })).status).toBe(401);
    const me = await fetch(`${mock().url}/users/me`, { headers: { authorization: `Bearer ${next.accessToken}` } });
    expect(((await me.json()) as { error: { reason: string } }).error.reason).toBe('session_revoked');
  });

  it('an upload and its download round-trip with equal SHA-256, and storage never sees a credential', async () => {
    const storageHeaders: string[] = [];
    const c = await signedIn(mock(), {
      fetch: (request) => {
        if (new URL(request.url).pathname.startsWith('/__storage/')) storageHeaders.push(...request.headers.keys());
        return fetch(request);
      },
    });
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
    const { fileId } = await c.files.upload(bytes, { filename: 'report.enc', contentType: 'application/octet-stream' });
    const back = await c.files.download(fileId);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(back)).toBe(sha(bytes));
    expect(storageHeaders).not.toContain('authorization');
    expect(storageHeaders).not.toContain('x-api-key');

    // Storage itself refuses credentials, expired URLs and a wrong size.
    const presigned = await c.files.presignUpload({ filename: 'x.enc', contentType: 'application/octet-stream', size: 3 });
    const put = (init: RequestInit) => fetch(presigned.uploadUrl, { method: 'PUT', ...init });
    expect((await put({ body: 'abc', headers: { authorization: 'Bearer ak_test_x00000000000000000000000' } })).status).toBe(400);
    expect((await put({ body: 'abcd' })).status).toBe(400);
    expect(new URL(presigned.uploadUrl).origin).toBe(mock().url);
    skew += 16 * 60_000;
    expect((await put({ body: 'abc' })).status).toBe(403);
  });
});
