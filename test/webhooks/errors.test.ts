// WebhookSignatureError: part of the SDK's error family, and it never carries a secret or the
// expected signature, whatever went wrong (the SDK-wide rule, see CovetonError.toJSON).
import { describe, expect, it } from 'vitest';
import { CovetonError } from '../../src/errors/base.js';
import { WebhookSignatureError, constructEvent, signPayload, verifySignature } from '../../src/webhooks/index.js';
import { at, expectReason, nodeHeader, nodeSignature } from './helpers.js';

const SECRET = 'whsec_SUPERSECRET_do_not_log_8c1f';
const OLD = 'whsec_OLDSECRET_do_not_log_2a7d';
const T = 1_780_306_200;
const BODY = '{"id":"evt_1","type":"message.deleted","data":{}}';
const now = at(T);

describe('WebhookSignatureError', () => {
  it('is a CovetonError with a name, a reason and a toJSON that keeps the reason', () => {
    const err = new WebhookSignatureError('malformed_header', 'why');
    expect(err).toBeInstanceOf(CovetonError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('WebhookSignatureError');
    expect(err.toJSON()).toEqual({ name: 'WebhookSignatureError', message: 'why', reason: 'malformed_header' });
  });

  it('never puts a secret or the expected signature in its message, toJSON, string form or stack', async () => {
    const expected = nodeSignature(SECRET, T, BODY);
    const expectedOld = nodeSignature(OLD, T, BODY);
    const secrets = [SECRET, OLD];
    const tampered = `${BODY} `;
    const nonJson = 'not json';
    // Thunks, not promises: each rejection is awaited as soon as it is made, never left unhandled.
    const failures: Array<[string, () => Promise<unknown>]> = [
      ['missing_header', () => verifySignature(BODY, undefined, secrets, { now })],
      ['malformed_header', () => verifySignature(BODY, `t=${T}`, secrets, { now })],
      ['malformed_header', () => verifySignature(BODY, `t=${T},t=${T},v1=${expected}`, secrets, { now })],
      ['no_matching_signature', () => verifySignature(tampered, nodeHeader(secrets, T, BODY), secrets, { now })],
      ['no_matching_signature', () => verifySignature(BODY, nodeHeader('whsec_other', T, BODY), secrets, { now })],
      ['timestamp_outside_tolerance', () => verifySignature(BODY, nodeHeader(secrets, T, BODY), secrets, { now: at(T + 301) })],
      ['body_not_raw', () => verifySignature(JSON.parse(BODY), nodeHeader(SECRET, T, BODY), secrets, { now })],
      ['no_secret', () => verifySignature(BODY, nodeHeader(SECRET, T, BODY), ['', ''], { now })],
      ['invalid_payload', () => constructEvent(nonJson, nodeHeader(secrets, T, nonJson), secrets, { now })],
      ['body_not_raw', () => signPayload({} as unknown as string, SECRET)],
    ];
    for (const [reason, attempt] of failures) {
      const err = await expectReason(attempt(), reason as WebhookSignatureError['reason']);
      const surfaces = [err.message, JSON.stringify(err.toJSON()), String(err), err.stack ?? '', JSON.stringify(err)];
      for (const text of surfaces) {
        for (const leak of [SECRET, OLD, expected, expectedOld, 'SUPERSECRET', 'OLDSECRET']) {
          expect(text, `${reason} leaks ${leak.slice(0, 12)}...`).not.toContain(leak);
        }
      }
      expect(err.message.length, 'the message says why in words').toBeGreaterThan(20);
    }
  });
});
