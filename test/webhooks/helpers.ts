// Test helpers that sign and inspect deliveries WITHOUT the module under test: node:crypto's
// createHmac is an independent implementation of the same scheme, so a bug shared by the SDK's
// signer and verifier cannot make the tests pass.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { WebhookSignatureError, type WebhookSignatureErrorReason } from '../../src/webhooks/index.js';

/** Hex HMAC-SHA256 of `"{t}."` + body, keyed with the secret, by node:crypto. */
export function nodeSignature(secret: string, t: number | string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** A header as Coveton sends it, one `v1` per secret. */
export function nodeHeader(secrets: string | string[], t: number, body: string | Uint8Array): string {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return [`t=${t}`, ...list.map((s) => `v1=${nodeSignature(s, t, body)}`)].join(',');
}

/** A fixed clock: `now` in ms for a given unix second. */
export const at = (seconds: number) => () => seconds * 1000;

/** Awaits `promise` and asserts it rejects with a WebhookSignatureError of exactly `reason`. */
export async function expectReason(promise: Promise<unknown>, reason: WebhookSignatureErrorReason): Promise<WebhookSignatureError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a rejection with reason ${reason}`).toBeInstanceOf(WebhookSignatureError);
  expect((err as WebhookSignatureError).reason).toBe(reason);
  return err as WebhookSignatureError;
}
