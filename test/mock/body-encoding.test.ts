// JSON text exchanged between systems "MUST be encoded using UTF-8" (RFC 8259, section 8.1).
// The mock decoded bodies leniently: invalid bytes became U+FFFD and were stored, and two
// different byte strings then collided as one name (review of the mock, finding 11).
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, signIn } = httpClient(() => mock().url);

describe('request bodies that are not UTF-8', () => {
  it('are a 400 BAD_REQUEST in the usual envelope, and change nothing', async () => {
    const { accessToken: token } = await signIn({ id: SEED.userId, email: SEED.email, password: SEED.password });
    const names = async () => ((await call('GET', `/teams?organizationId=${SEED.organizationId}`, { token })).body as unknown as { name: string }[]).map((t) => t.name);
    const before = await names();
    const post = async (bytes: Buffer) => {
      const res = await fetch(`${mock().url}/teams?organizationId=${SEED.organizationId}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: new Uint8Array(bytes) });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; requestId: string } } };
    };
    const json = (name: Buffer) => Buffer.concat([Buffer.from(`{"organizationId":"${SEED.organizationId}","name":"bad`), name, Buffer.from('utf8"}')]);
    for (const bad of [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const answer = await post(json(bad));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({ code: 'BAD_REQUEST', message: 'The request body is not valid JSON: JSON text must be UTF-8 (RFC 8259, section 8.1).', requestId: expect.stringMatching(/^req_/) });
    }
    expect(await names()).toEqual(before);
    // Valid UTF-8 beyond ASCII is taken as sent.
    const good = await post(json(Buffer.from('é✓', 'utf8')));
    expect([good.status, (good.body as { name?: string }).name]).toEqual([201, 'badé✓utf8']);
  });
});
