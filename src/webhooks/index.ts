// `@coveton/sdk/webhooks`: verify and parse the deliveries Coveton sends to your endpoint. It
// stands alone (no client, no fetch, only Web Crypto), so it loads in any runtime and in an edge
// function that never calls the API.
export { CovetonError } from '../errors/base.js';
export { WebhookSignatureError, type WebhookSignatureErrorReason } from './errors.js';
export type { CovetonWebhookEvent, CovetonWebhookEventType, CovetonWebhookEventOf, UnknownWebhookEvent } from './events.js';
export type { WebhookPayload, WebhookSecrets } from './payload.js';
export {
  verifySignature,
  constructEvent,
  SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyOptions,
} from './verify.js';
export { signPayload, type SignOptions } from './sign.js';
