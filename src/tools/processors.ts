// The payment processors' webhook signatures, as each documents them and as the spec's payment
// webhook operations describe them: the mock verifies them and `coveton webhooks trigger
// --provider` makes them, so a CI job can complete a checkout with a correctly signed event.
// - Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>`, HMAC-SHA256 of "{t}.{rawBody}" (the same
//   scheme as Coveton's own deliveries, so the SDK's signer and verifier serve both), five minutes.
// - Paystack: `X-Paystack-Signature`, the hex HMAC-SHA512 of the raw body.
// - Flutterwave: `verif-hash`, the secret hash itself, compared in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { signPayload, verifySignature } from '../webhooks/index.js';

export type Provider = 'stripe' | 'paystack' | 'flutterwave';
export const PROVIDERS: Provider[] = ['stripe', 'paystack', 'flutterwave'];

export const SIGNATURE_HEADERS: Record<Provider, string> = { stripe: 'Stripe-Signature', paystack: 'X-Paystack-Signature', flutterwave: 'verif-hash' };

/** The provider whose signature header this is (any case). */
export function providerOfHeader(name: string): Provider | undefined {
  return PROVIDERS.find((p) => SIGNATURE_HEADERS[p].toLowerCase() === name.toLowerCase());
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The headers a provider would send with `body`, signed with `secret`. */
export async function signProcessorEvent(provider: Provider, body: string, secret: string, options: { timestamp?: number } = {}): Promise<Record<string, string>> {
  const header = SIGNATURE_HEADERS[provider];
  if (provider === 'stripe') return { [header]: await signPayload(body, secret, options) };
  if (provider === 'paystack') return { [header]: createHmac('sha512', secret).update(body).digest('hex') };
  return { [header]: secret };
}

/** Why the signature does not verify, or undefined when it does. `now` for Stripe's window. */
export async function processorSignatureProblem(provider: Provider, rawBody: Uint8Array, header: string, secret: string, now: () => number = Date.now): Promise<string | undefined> {
  if (provider === 'stripe') {
    return verifySignature(rawBody, header, secret, { now }).then(
      () => undefined,
      (error: Error) => error.message.replace(/X-Coveton-Signature/g, 'Stripe-Signature'),
    );
  }
  if (provider === 'paystack') {
    const expected = createHmac('sha512', secret).update(rawBody).digest('hex');
    return sameText(expected, header.trim().toLowerCase()) ? undefined : 'The X-Paystack-Signature is not the HMAC-SHA512 of the body under the secret.';
  }
  return sameText(secret, header) ? undefined : 'The verif-hash header does not match the secret hash.';
}

/** The operation of the spec that receives a provider's events. */
export const RECEIVING_OPERATION: Record<Provider, string> = { stripe: 'receiveStripeWebhook', paystack: 'receivePaystackWebhook', flutterwave: 'receiveFlutterwaveWebhook' };

/**
 * A provider's event built on the spec's example of it (the request example of the receiving
 * operation): a fresh event id and time, `type` when given, and with `checkout` (a checkout
 * session id, or the `checkoutUrl` it ends) the checkout it confirms.
 */
export function processorEvent(provider: Provider, example: Record<string, any>, options: { type?: string; checkout?: string; now: number; id: string }): Record<string, any> {
  const event = structuredClone(example);
  const session = options.checkout?.split(/[/?#]/).filter(Boolean).find((part) => /^(cs_|cov_chk_)/.test(part)) ?? options.checkout;
  const numericId = Number.parseInt(createHash('sha256').update(options.id).digest('hex').slice(0, 12), 16);
  if (provider === 'stripe') {
    Object.assign(event, { id: `evt_${options.id}`, created: Math.floor(options.now / 1000), ...(options.type ? { type: options.type } : {}) });
    if (session && event.data?.object) event.data.object.id = session;
  } else {
    if (options.type) event.event = options.type;
    event.data = { ...event.data, id: numericId };
    if (session) event.data[provider === 'paystack' ? 'reference' : 'tx_ref'] = session;
  }
  return event;
}

/** What a provider's event confirms: a paid checkout session, by its id, with the amount in minor units. */
export function confirmedCheckout(provider: Provider, event: any): { eventId: string; sessionId: string; amount: number; currency: string } | undefined {
  const data = event?.data;
  if (provider === 'stripe' && event?.type === 'checkout.session.completed' && data?.object?.payment_status !== 'unpaid') {
    return { eventId: String(event.id), sessionId: String(data.object.id), amount: Number(data.object.amount_total ?? 0), currency: String(data.object.currency ?? 'usd').toUpperCase() };
  }
  if (provider === 'paystack' && event?.event === 'charge.success' && data?.status === 'success') {
    return { eventId: `paystack_${data.id}`, sessionId: String(data.reference), amount: Number(data.amount ?? 0), currency: String(data.currency ?? 'NGN').toUpperCase() };
  }
  if (provider === 'flutterwave' && event?.event === 'charge.completed' && data?.status === 'successful') {
    return { eventId: `flutterwave_${data.id}`, sessionId: String(data.tx_ref), amount: Math.round(Number(data.amount ?? 0) * 100), currency: String(data.currency ?? 'USD').toUpperCase() };
  }
  return undefined;
}
