// The payment processors' webhook signatures, as each documents them and as the spec's payment
// webhook operations describe them: the mock verifies them and `coveton webhooks trigger
// --provider` makes them, so a CI job can complete a checkout with a correctly signed event.
// - Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>`, HMAC-SHA256 of "{t}.{rawBody}" (the same
//   scheme as Coveton's own deliveries, so the SDK's signer and verifier serve both), five minutes.
// - Paystack: `X-Paystack-Signature`, the hex HMAC-SHA512 of the raw body.
// - Flutterwave: `verif-hash`, the secret hash itself, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
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

/** A completed checkout as the mock knows it, to build a provider's confirmation event. */
export interface CheckoutFacts {
  sessionId: string;
  organizationId: string;
  plan: string;
  /** In minor units (cents, kobo). */
  amount: number;
  currency: string;
}

/** The event each provider sends when a checkout's payment succeeds. */
export function checkoutCompletedEvent(provider: Provider, facts: CheckoutFacts, eventId: string, now: number): Record<string, unknown> {
  const metadata = { organizationId: facts.organizationId, plan: facts.plan };
  if (provider === 'stripe') {
    return {
      id: eventId,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(now / 1000),
      data: { object: { id: facts.sessionId, object: 'checkout.session', client_reference_id: facts.organizationId, payment_status: 'paid', amount_total: facts.amount, currency: facts.currency.toLowerCase(), metadata } },
    };
  }
  if (provider === 'paystack') {
    return { event: 'charge.success', data: { id: Number(eventId.replace(/\D/g, '').slice(0, 12) || '1'), status: 'success', reference: facts.sessionId, amount: facts.amount, currency: facts.currency, paid_at: new Date(now).toISOString(), metadata } };
  }
  return {
    event: 'charge.completed',
    data: { id: Number(eventId.replace(/\D/g, '').slice(0, 12) || '1'), tx_ref: facts.sessionId, amount: facts.amount / 100, currency: facts.currency, status: 'successful', created_at: new Date(now).toISOString(), meta: metadata },
  };
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
