// Property-based tests (fast-check): thousands of random headers, bodies, secrets and clocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError, constructEvent, signPayload, verifySignature } from '../../src/webhooks/index.js';
import { nodeSignature } from './helpers.js';

const RUNS = 2000;
const SECRET = 'whsec_fixed_property_secret_0e6b';
const MAX_T = 2 ** 40; // far past any real unix time, still a safe integer

const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }));
const hex64 = fc.stringMatching(/^[0-9a-fA-F]{64}$/);
const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 80 });

/** Header-shaped strings: the known keys and some others, good and bad values, odd spacing. */
const headerish = fc
  .array(
    fc.tuple(
      fc.constantFrom('t', 'v1', 'v0', 'v2', 'T', '', ' t', 'x'),
      fc.oneof(fc.nat().map(String), hex64, fc.string({ maxLength: 70 })),
      fc.constantFrom('', ' ', '\t'),
      fc.constantFrom('=', '=', ' = ', ''),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.map(([k, v, ws, eq]) => `${ws}${k}${eq}${v}${ws}`).join(','));

const anyHeader = fc.oneof(headerish, fc.string({ maxLength: 200 }), fc.constant(null), fc.constant(undefined), fc.anything());
const anyPayload = fc.oneof(body, fc.anything(), fc.uint8Array().map((b) => b.buffer));
const anySecrets = fc.oneof(secret, fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.anything());

describe('properties', () => {
  it('(a) never accepts a forged header: random v1 values and bodies, fixed secret', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 0, max: MAX_T }), fc.array(hex64, { minLength: 1, maxLength: 4 }), async (payload, t, sigs) => {
        fc.pre(!sigs.some((s) => s.toLowerCase() === nodeSignature(SECRET, t, payload))); // 2^-256: never in practice
        const header = [`t=${t}`, ...sigs.map((s) => `v1=${s}`)].join(',');
        const err = await verifySignature(payload, header, SECRET, { tolerance: 0 }).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(WebhookSignatureError);
        expect((err as WebhookSignatureError).reason).toBe('no_matching_signature');
      }),
      { numRuns: RUNS },
    );
  });

  it('(a) never accepts a genuine signature moved to another body, secret or timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ minLength: 1 }), fc.nat({ max: 1e10 }), fc.string({ minLength: 1 }), async (payload, suffix, t, other) => {
        fc.pre(other !== SECRET);
        const header = await signPayload(payload, SECRET, { timestamp: t });
        const moved = [
          () => verifySignature(payload + suffix, header, SECRET, { tolerance: 0 }),
          () => verifySignature(payload, header, other, { tolerance: 0 }),
          () => verifySignature(payload, header.replace(`t=${t},`, `t=${t + 1},`), SECRET, { tolerance: 0 }),
        ];
        for (const attempt of moved) {
          const err = await attempt().then(() => undefined, (e: unknown) => e);
          expect((err as WebhookSignatureError).reason).toBe('no_matching_signature');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) never throws anything but WebhookSignatureError, whatever the header, body and secrets', async () => {
    await fc.assert(
      fc.asyncProperty(anyPayload, anyHeader, anySecrets, fc.integer({ min: -1e15, max: 1e15 }), fc.boolean(), async (payload, header, secrets, nowMs, parse) => {
        const run = parse ? constructEvent : verifySignature;
        const outcome = await run(payload as never, header as never, secrets as never, { now: () => nowMs }).then(
          () => 'accepted',
          (e: unknown) => e,
        );
        if (outcome !== 'accepted') expect(outcome).toBeInstanceOf(WebhookSignatureError);
        // Nothing random can be genuine: only signing with the secret makes an acceptable header.
        expect(outcome).not.toBe('accepted');
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) constructEvent on a genuine delivery of any body either returns an event or says invalid_payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, fc.json(), fc.jsonValue().map((v) => JSON.stringify({ id: 'evt_1', type: 'x', data: v }))), async (payload) => {
        const header = await signPayload(payload, SECRET, { timestamp: 1 });
        const outcome = await constructEvent(payload, header, SECRET, { tolerance: 0 }).then((e) => e, (e: unknown) => e);
        if (outcome instanceof Error) expect((outcome as WebhookSignatureError).reason).toBe('invalid_payload');
        else expect(typeof (outcome as { type: unknown }).type).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  it('(c) always accepts what signPayload produced, within tolerance, for any body, secret and timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(body, secret, fc.integer({ min: 0, max: MAX_T }), fc.integer({ min: -300, max: 300 }), fc.integer({ min: 0, max: 999 }), async (payload, key, t, skew, ms) => {
        const header = await signPayload(payload, key, { timestamp: t });
        await expect(verifySignature(payload, header, key, { now: () => (t + skew) * 1000 + ms })).resolves.toBe(t);
        await expect(verifySignature(payload, header, ['whsec_unrelated', key], { now: () => (t + skew) * 1000 + ms })).resolves.toBe(t);
      }),
      { numRuns: RUNS },
    );
  });

  it('(c) signPayload agrees with node:crypto for any body, secret and timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(body, secret, fc.integer({ min: 0, max: MAX_T }), async (payload, key, t) => {
        expect(await signPayload(payload, key, { timestamp: t })).toBe(`t=${t},v1=${nodeSignature(key, t, payload)}`);
      }),
      { numRuns: RUNS },
    );
  });
});
