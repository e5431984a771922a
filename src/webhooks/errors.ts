import { CovetonError } from '../errors/base.js';

/**
 * Why a webhook delivery was rejected. Answer 400 to the sender for every reason except
 * `no_secret` and `body_not_raw`, which are bugs in the receiving code, not in the delivery:
 * answer those 500 (Coveton retries, and the retry verifies once the code is fixed).
 *
 * - `missing_header`: no `X-Coveton-Signature` header was given (null or undefined).
 * - `malformed_header`: the header is not `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`.
 * - `no_matching_signature`: no `v1` value is the HMAC of this body under any given secret.
 * - `timestamp_outside_tolerance`: the signature is genuine but `t` is too far from now (a replay?).
 * - `body_not_raw`: the payload is not the raw body (a string, Uint8Array or ArrayBuffer),
 *   typically because a JSON body parser already ran.
 * - `no_secret`: no signing secret was given (empty string, empty list, or not a string).
 * - `invalid_payload`: the body verified but is not JSON, or not a Coveton event (an object with
 *   non-empty string `id` and `type` and an object `data`).
 */
export type WebhookSignatureErrorReason =
  | 'missing_header'
  | 'malformed_header'
  | 'no_matching_signature'
  | 'timestamp_outside_tolerance'
  | 'body_not_raw'
  | 'no_secret'
  | 'invalid_payload';

/**
 * A webhook delivery failed verification, or its verified body is not an event.
 *
 * The message says why in words. It never contains a signing secret nor the expected
 * signature: both would let whoever reads the logs forge deliveries (API brief, "Outbound
 * webhooks"; the SDK-wide rule that errors never hold a secret, see `CovetonError.toJSON`).
 *
 * @example
 * ```ts
 * try {
 *   const event = await constructEvent(rawBody, req.headers['x-coveton-signature'], secret);
 * } catch (err) {
 *   if (err instanceof WebhookSignatureError && err.reason !== 'no_secret' && err.reason !== 'body_not_raw') {
 *     return res.status(400).send(err.reason);
 *   }
 *   throw err; // no_secret, body_not_raw: this handler's bug, a 500
 * }
 * ```
 */
export class WebhookSignatureError extends CovetonError {
  override name = 'WebhookSignatureError';

  constructor(
    /** The machine-readable cause; branch on this, not on the message. */
    readonly reason: WebhookSignatureErrorReason,
    message: string,
  ) {
    super(message);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}
