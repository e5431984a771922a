// Verifying a delivery (API brief, "Outbound webhooks"): the raw body, every `v1` against every
// secret, a constant-time compare, then the timestamp window. Modelled on Stripe's
// `constructEvent`, with two deliberate differences: the window applies to the future as well as
// the past (the brief says "more than a few minutes from now"; Stripe checks only the past), and
// several secrets can be given for a rotation.
import { CovetonInputError } from '../errors/base.js';
import { WebhookSignatureError } from './errors.js';
import { parseEvent, type CovetonWebhookEvent } from './events.js';
import { bomVariants, payloadBytes, usableSecrets, type WebhookPayload, type WebhookSecrets } from './payload.js';
import { computeSignature, parseSignatureHeader, timingSafeEqual } from './signature.js';

/** The header Coveton signs every delivery with. HTTP header names are case-insensitive. */
export const SIGNATURE_HEADER = 'X-Coveton-Signature';

/** How far `t` may be from now, in seconds: the spec's "five minutes". */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifySignature} and {@link constructEvent}. */
export interface VerifyOptions {
  /**
   * How many seconds the signed timestamp `t` may lie from the current time, in the past (a
   * replayed delivery) or in the future (a skewed clock). `0` disables the check: do that only
   * if you deduplicate deliveries by event `id`, or replays get through.
   * @default 300
   * @example
   * ```ts
   * await verifySignature(body, header, secret, { tolerance: 600 }); // ten minutes
   * ```
   */
  tolerance?: number | undefined;
  /**
   * The current time in milliseconds since the epoch. Set it in tests to verify a fixed
   * timestamp; leave it alone in production.
   * @default Date.now
   * @example
   * ```ts
   * await verifySignature(body, header, secret, { now: () => 1_780_306_200_000 });
   * ```
   */
  now?: (() => number) | undefined;
}

/**
 * Checks that a webhook delivery was signed by Coveton with one of `secrets` and is recent.
 * Resolves to the signed timestamp (unix seconds); rejects with a {@link WebhookSignatureError}
 * whose `reason` says why. Answer 400 to a delivery that does not verify (500 for the reasons
 * `no_secret` and `body_not_raw`: bugs in the receiver, see `WebhookSignatureErrorReason`).
 *
 * @param payload - The raw request body, as received: not a parsed object.
 * @param header - The `X-Coveton-Signature` header value.
 * @param secrets - The endpoint's signing secret, or several while rotating it: any may match.
 * @example
 * ```ts
 * const signedAt = await verifySignature(await request.text(), request.headers.get('x-coveton-signature'), [
 *   process.env.COVETON_WEBHOOK_SECRET!,
 * ]);
 * ```
 */
export async function verifySignature(
  payload: WebhookPayload,
  header: string | null | undefined,
  secrets: WebhookSecrets,
  options: VerifyOptions = {},
): Promise<number> {
  const { tolerance, now } = resolveOptions(options);
  const keys = usableSecrets(secrets);
  const body = payloadBytes(payload);
  if (header === null || header === undefined) {
    throw new WebhookSignatureError(
      'missing_header',
      `The ${SIGNATURE_HEADER} header is missing: the delivery is unsigned, or the header was not passed along.`,
    );
  }
  if (typeof header !== 'string') {
    throw new WebhookSignatureError('malformed_header', `The ${SIGNATURE_HEADER} header must be a string.`);
  }
  const parsed = parseSignatureHeader(header);

  // Signature before timestamp: a forged delivery learns nothing about the window, and
  // `timestamp_outside_tolerance` always means "genuine but stale", which is worth logging.
  let matched = false;
  for (const key of keys) {
    // A leading byte-order mark counts the same whether the caller's string lost it or the bytes kept it (payload.ts).
    for (const variant of bomVariants(body)) {
      const expected = await computeSignature(key, parsed.timestampText, variant);
      // No early exit: every candidate is compared, and each comparison is constant-time.
      for (const candidate of parsed.signatures) matched = timingSafeEqual(expected, candidate) || matched;
    }
  }
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      `No signature in the ${SIGNATURE_HEADER} header matches the payload under the given secret(s). ` +
        'Check the signing secret, and that the body is the raw bytes received (a body parsed and ' +
        're-serialized no longer matches).',
    );
  }

  if (tolerance > 0) {
    const nowSeconds = Math.floor(now() / 1000);
    if (!Number.isFinite(nowSeconds)) throw new CovetonInputError('now', 'must return a finite number of milliseconds');
    const skew = nowSeconds - parsed.timestamp;
    if (Math.abs(skew) > tolerance) {
      throw new WebhookSignatureError(
        'timestamp_outside_tolerance',
        `The signature is valid but its timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'past' : 'future'}, ` +
          `outside the tolerance of ${tolerance} s (a replayed delivery, or a clock out of sync).`,
      );
    }
  }
  return parsed.timestamp;
}

/**
 * Verifies a delivery as {@link verifySignature} does, then parses it into a typed event.
 * A body that verifies but is not a JSON event rejects with reason `invalid_payload`.
 *
 * @example
 * ```ts
 * app.post('/coveton', express.raw({ type: 'application/json' }), async (req, res) => {
 *   const event = await constructEvent(req.body, req.headers['x-coveton-signature'] as string, secret);
 *   if (event.type === 'message.created') console.log(event.data.chatId);
 *   res.sendStatus(200);
 * });
 * ```
 */
export async function constructEvent(
  payload: WebhookPayload,
  header: string | null | undefined,
  secrets: WebhookSecrets,
  options?: VerifyOptions,
): Promise<CovetonWebhookEvent> {
  await verifySignature(payload, header, secrets, options);
  return parseEvent(typeof payload === 'string' ? payload : payloadBytes(payload));
}

function resolveOptions(options: VerifyOptions): Required<VerifyOptions> {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || Number.isNaN(tolerance) || tolerance < 0) {
    throw new CovetonInputError('tolerance', 'must be a number of seconds, 0 or more (0 disables the check)');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new CovetonInputError('now', 'must be a function returning milliseconds');
  return { tolerance, now };
}
