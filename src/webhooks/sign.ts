// Signing, for users' own tests of their webhook handlers: the same scheme Coveton uses (API
// brief, "Outbound webhooks"), so a header made here verifies exactly as a real delivery would.
// Stripe ships the same helper as `generateTestHeaderString`.
import { CovetonInputError } from '../errors/base.js';
import { payloadBytes, usableSecrets, type WebhookPayload } from './payload.js';
import { bytesToHex, computeSignature } from './signature.js';

/** Options of {@link signPayload}. */
export interface SignOptions {
  /**
   * The signing time `t`, in whole unix seconds. Set it to test the tolerance window.
   * @default Math.floor(Date.now() / 1000)
   * @example
   * ```ts
   * const stale = await signPayload(body, secret, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
   * ```
   */
  timestamp?: number | undefined;
}

/**
 * Signs `payload` with `secret` and returns the `X-Coveton-Signature` header value,
 * `t=<unix seconds>,v1=<hex>`. For tests only: in production Coveton signs, you verify.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(fakeEvent);
 * const header = await signPayload(body, 'test_secret');
 * const res = await app.request('/coveton', { method: 'POST', body, headers: { 'X-Coveton-Signature': header } });
 * ```
 */
export async function signPayload(payload: WebhookPayload, secret: string, options: SignOptions = {}): Promise<string> {
  // A list is refused on purpose: a delivery carries one `v1` per secret, so rotation headers
  // are built by joining several single-secret headers' `v1` parts.
  const [key] = usableSecrets(typeof secret === 'string' ? secret : undefined);
  const body = payloadBytes(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new CovetonInputError('timestamp', 'must be a whole number of unix seconds, 0 or more');
  }
  const timestampText = String(timestamp);
  const signature = await computeSignature(key!, timestampText, body);
  return `t=${timestampText},v1=${bytesToHex(signature)}`;
}
