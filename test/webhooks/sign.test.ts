// signPayload: the header it makes is byte-for-byte what node:crypto computes, and verifies.
import { describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/errors/base.js';
import { signPayload, verifySignature } from '../../src/webhooks/index.js';
import { at, expectReason, nodeSignature } from './helpers.js';

const SECRET = 'whsec_sign_test_9d3e';
const BODY = '{"id":"evt_1","type":"member.removed","data":{}}';

describe('signPayload', () => {
  it('makes "t=<seconds>,v1=<lowercase hex>" equal to createHmac', async () => {
    const header = await signPayload(BODY, SECRET, { timestamp: 1_780_306_200 });
    expect(header).toBe(`t=1780306200,v1=${nodeSignature(SECRET, 1_780_306_200, BODY)}`);
    expect(header).toMatch(/^t=\d+(,v1=[0-9a-f]{64})+$/); // the contract's header pattern
  });

  it('matches the fixed known-answer vector', async () => {
    await expect(signPayload('héllo wörld 😀\n', 'sécrét-🔑', { timestamp: 1700000000 })).resolves.toBe(
      't=1700000000,v1=8936a6b75ab0063b0e1a0a29ecde5fa07382005fa2256b7ff5b74b53783ff71b',
    );
  });

  it('signs string, Uint8Array, ArrayBuffer and Buffer bodies the same', async () => {
    const bytes = new TextEncoder().encode(BODY);
    const headers = await Promise.all(
      [BODY, bytes, bytes.slice().buffer, Buffer.from(BODY)].map((p) => signPayload(p, SECRET, { timestamp: 5 })),
    );
    expect(new Set(headers).size).toBe(1);
  });

  it('defaults the timestamp to now, and the result verifies with the default options', async () => {
    const before = Math.floor(Date.now() / 1000);
    const header = await signPayload(BODY, SECRET);
    const t = Number(/^t=(\d+)/.exec(header)![1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    await expect(verifySignature(BODY, header, SECRET)).resolves.toBe(t);
  });

  it('builds a stale delivery for testing the window', async () => {
    const header = await signPayload(BODY, SECRET, { timestamp: 1000 });
    await expectReason(verifySignature(BODY, header, SECRET, { now: at(1000 + 301) }), 'timestamp_outside_tolerance');
  });

  it('refuses an empty secret (no_secret) and a parsed body (body_not_raw)', async () => {
    await expectReason(signPayload(BODY, ''), 'no_secret');
    await expectReason(signPayload(BODY, [SECRET] as unknown as string), 'no_secret');
    await expectReason(signPayload({ id: 'evt_1' } as unknown as string, SECRET), 'body_not_raw');
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 60])('refuses timestamp %s as a caller error', async (timestamp) => {
    await expect(signPayload(BODY, SECRET, { timestamp })).rejects.toBeInstanceOf(CovetonInputError);
  });
});
