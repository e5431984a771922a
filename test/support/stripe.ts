// Signs a payment processor's event with Stripe's own library (the `stripe` package), as Stripe
// signs the webhooks it sends. The package is loaded by a specifier TypeScript does not follow:
// its declarations are 6.6 MB in 256 files, more than all the others the project's type check
// reads from node_modules, for the one method used here, whose shape is written below.
type StripeClient = new (apiKey: string) => { webhooks: { generateTestHeaderString(options: { payload: string; secret: string }): string } };
const name = 'stripe';
const { default: Stripe } = (await import(/* @vite-ignore */ name)) as { default: StripeClient };

/** The `Stripe-Signature` header Stripe would send with `payload`, signed with `secret`. */
export function stripeSignature(payload: string, secret: string): string {
  return new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret });
}
