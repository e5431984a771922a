// Billing (seed 002, "Subscriptions & billing" and "Webhooks"): a checkout returns the
// processor's hosted page and records the session; the processor's signed confirmation event
// (payment webhooks) completes it: the subscription changes, a paid invoice is added, and
// `subscription.updated` and `invoice.paid` go out. Redelivered events are acknowledged once.
import { fillContext, isoNow, type Handler, type MockEnv } from '../engine.js';
import { fill, visible } from '../fill.js';
import { itemSchema } from '../resources.js';
import type { Row } from '../state.js';
import { base62, newId } from '../../tools/ids.js';
import { confirmedCheckout, type Provider } from '../../tools/processors.js';

const CHECKOUT_MINUTES = 30;
const HOSTS: Record<Provider, string> = { stripe: 'checkout.stripe.com/c/pay', paystack: 'checkout.paystack.com', flutterwave: 'checkout.flutterwave.com/pay' };
/** Per seat and period, in minor units of USD: what the mock's invoices charge. */
const PRICES: Record<string, number> = { team_monthly: 1_000, team_annual: 9_600, enterprise: 50_000 };

export function subscriptionOf(env: MockEnv, organizationId: string): Row {
  const found = env.store.find('subscriptions', (s) => s.organizationId === organizationId);
  if (found) return found;
  const sub = fill(
    itemSchema(env.spec, 'subscriptions'),
    { organizationId, plan: 'free', status: 'active', provider: null, seats: 1, currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false },
    fillContext(env, undefined),
  );
  return env.store.put('subscriptions', sub);
}

const getSubscription: Handler = (call, env) => ({ status: 200, body: visible(subscriptionOf(env, call.ctx.organizationId!)) });

const checkout: Handler = (call, env) => {
  const organizationId = call.ctx.organizationId!;
  const provider = call.body.provider as Provider;
  const sessionId = provider === 'stripe' ? `cs_test_${base62(24)}` : `cov_chk_${base62(20)}`;
  const seats = call.body.seats ?? Math.max(1, env.store.all('members').filter((m) => m.organizationId === organizationId).length);
  const expiresAt = env.now() + CHECKOUT_MINUTES * 60_000;
  env.store.put('_checkouts', { id: sessionId, organizationId, plan: call.body.plan, provider, seats, expiresAt, status: 'open' });
  return {
    status: 201,
    body: { checkoutUrl: `https://${HOSTS[provider]}/${sessionId}`, provider, expiresAt: new Date(expiresAt).toISOString() },
  };
};

function complete(env: MockEnv, session: Row, paid: { amount: number; currency: string }): Record<string, unknown> {
  const now = env.now();
  const sub = subscriptionOf(env, session.organizationId);
  const previousPlan = sub.plan;
  const days = session.plan === 'team_monthly' ? 30 : 365;
  Object.assign(sub, {
    plan: session.plan,
    status: 'active',
    provider: session.provider,
    seats: session.seats,
    currentPeriodStart: new Date(now).toISOString(),
    currentPeriodEnd: new Date(now + days * 86_400_000).toISOString(),
    cancelAtPeriodEnd: false,
    updatedAt: new Date(now).toISOString(),
  });
  const org = env.store.get('organizations', session.organizationId);
  if (org) Object.assign(org, { plan: session.plan, updatedAt: isoNow(env) });
  const amount = paid.amount > 0 ? paid.amount : (PRICES[session.plan] ?? 0) * session.seats;
  const count = env.store.all('invoices').filter((i) => i.organizationId === session.organizationId).length + 1;
  const invoice = env.store.put('invoices', {
    id: newId('in_'),
    organizationId: session.organizationId,
    number: `COV-${new Date(now).getUTCFullYear()}-${String(count).padStart(4, '0')}`,
    status: 'paid',
    currency: paid.currency,
    amountDue: amount,
    amountPaid: amount,
    periodStart: sub.currentPeriodStart,
    periodEnd: sub.currentPeriodEnd,
    paidAt: new Date(now).toISOString(),
    hostedInvoiceUrl: null,
    createdAt: new Date(now).toISOString(),
  });
  session.status = 'complete';
  env.emit('subscription.updated', session.organizationId, visible(sub));
  env.emit('invoice.paid', session.organizationId, visible(invoice));
  return { organizationId: session.organizationId, subscriptionId: sub.id, previousPlan, plan: sub.plan, provider: sub.provider, invoiceId: invoice.id, amountPaid: amount, currency: paid.currency };
}

/** A payment webhook: the signature was verified by x-access (caller: signature). */
const receive =
  (provider: Provider): Handler =>
  (call, env) => {
    const confirmed = confirmedCheckout(provider, call.body);
    // Each delivery is applied once: a redelivery (same event id) is only acknowledged.
    if (confirmed && !env.store.get('_processor-events', confirmed.eventId)) {
      env.store.put('_processor-events', { id: confirmed.eventId });
      const session = env.store.get('_checkouts', confirmed.sessionId);
      if (session && session.provider === provider && session.status === 'open' && session.expiresAt > env.now()) {
        Object.assign(call.ctx.effect, complete(env, session, confirmed));
      }
    }
    return { status: 200, body: { received: true } };
  };

export const billingRules: Record<string, Handler> = {
  getSubscription,
  createCheckoutSession: checkout,
  receiveStripeWebhook: receive('stripe'),
  receivePaystackWebhook: receive('paystack'),
  receiveFlutterwaveWebhook: receive('flutterwave'),
};
