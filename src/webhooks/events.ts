// The event types, derived from the contract rather than written by hand: every entry of the
// OpenAPI `webhooks` section contributes its request body, so a new event in the spec becomes a
// new member of the union at the next `npm run generate`, with nothing here to update.
import type { webhooks } from '@coveton/sdk/schema';
import { WebhookSignatureError } from './errors.js';

/**
 * Every event Coveton sends to a webhook endpoint, discriminated by `type`. Narrow on `type` to
 * reach the event's `data`.
 *
 * Coveton may add event types later; `constructEvent` returns them too, and they reach `default`
 * as an {@link UnknownWebhookEvent}. Acknowledge them (2xx), or they are retried: check
 * exhaustiveness with `satisfies never`, never with a function that throws.
 *
 * @example
 * ```ts
 * switch (event.type) {
 *   case 'message.created':
 *     store(event.data.id, event.data.ciphertext); // event.data is a Message
 *     break;
 *   // ... a case for every other type
 *   default: {
 *     const unknown: UnknownWebhookEvent = event satisfies never;
 *     console.info('unhandled', unknown.type);
 *   }
 * }
 * ```
 */
export type CovetonWebhookEvent = {
  [K in keyof webhooks]: webhooks[K] extends { post: { requestBody: { content: { 'application/json': infer Body } } } } ? Body : never;
}[keyof webhooks];

// Deliberately not a member of CovetonWebhookEvent: a member whose `type` is any string matches
// every `case`, so `case 'message.created'` would no longer narrow `event.data` to a Message (it
// would be `unknown`; `string & {}` does the same, a branded string turns narrowing off). Stripe's
// SDK keeps its unknown events apart from its typed union the same way (UnknownEventNotification).
// Its doc comments are short: they ship in the declarations, within the tarball budget.
/** An event of a type this SDK version does not know (added later): the envelope every event has. */
export interface UnknownWebhookEvent {
  /** The same on every retry of a delivery: deduplicate on it. */
  id: string;
  /** A type not in {@link CovetonWebhookEventType}. */
  type: string;
  /** When it happened (RFC 3339). */
  createdAt: string;
  /** Its organization, or `null`. */
  organizationId: string | null;
  /** Its object, in a shape this SDK does not know. */
  data: Record<string, unknown>;
}

/** The `type` of every event Coveton sends, e.g. `'message.created'`. */
export type CovetonWebhookEventType = CovetonWebhookEvent['type'];

/** The event of one type, e.g. `CovetonWebhookEventOf<'invoice.paid'>`. */
export type CovetonWebhookEventOf<T extends CovetonWebhookEventType> = Extract<CovetonWebhookEvent, { type: T }>;

const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** A JSON object: not null, not an array. */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a verified body into an event. Checks the envelope every event shares (an object with
 * non-empty string `id` and `type`, and an object `data`), not the full schema: an event type
 * added after this SDK was built must still parse, so the caller can acknowledge it. An empty
 * `id` could not tell a retried delivery from a new event (the spec: "use the event `id` to
 * ignore duplicates"), an empty `type` names no event, and every event's `data` in the spec
 * (spec/components/schemas/*Event.yaml) is an object, never an array.
 */
export function parseEvent(body: string | Uint8Array): CovetonWebhookEvent {
  let text: string;
  try {
    text = typeof body === 'string' ? body : decoder.decode(body);
  } catch {
    throw invalid('the verified body is not valid UTF-8');
  }
  // The decoder drops one leading byte-order mark from bytes; a string gets the same treatment.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message quotes the body; it is not repeated here, so logs stay clean.
    throw invalid('the verified body is not valid JSON');
  }
  if (!isObject(parsed)) throw invalid('the verified body is JSON but not an object');
  if (typeof parsed.id !== 'string' || typeof parsed.type !== 'string' || !parsed.id || !parsed.type) {
    throw invalid('the verified body has no non-empty string "id" and "type", so it is not a Coveton event');
  }
  if (!isObject(parsed.data)) throw invalid('the verified body has no "data" object, so it is not a Coveton event');
  return parsed as unknown as CovetonWebhookEvent;
}

function invalid(why: string): WebhookSignatureError {
  return new WebhookSignatureError('invalid_payload', `Webhook payload is invalid: ${why}.`);
}
