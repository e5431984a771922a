// The SDK quickstart: sign in, read the current user, create an API key, list keys, send an
// encrypted message, presign a file upload and start a checkout. `npm start` runs it against
// the bundled mock API; point COVETON_BASE_URL at the sandbox to run it for real.
import { APIError, createCoveton } from '@coveton/sdk';

const coveton = createCoveton({
  // Defaults: COVETON_BASE_URL, else production. The mock needs no account.
  baseUrl: process.env.COVETON_BASE_URL,
  onTokens: (tokens) => {
    // Persist the pair here (keychain, secure cookie...): refresh tokens rotate on every use.
    void tokens;
  },
});

const step = (label: string, detail: string) => console.log(`  ✓ ${label.padEnd(24)} ${detail}`);

try {
  const { user } = await coveton.session.login({ email: 'ada@example.com', password: 'a-strong-passphrase' });
  step('signed in', `${user.displayName} <${user.email}>`);

  const me = await coveton.users.getCurrent();
  step('current user', `${me.id}, locale ${me.locale}`);

  const key = await coveton.apiKeys.create({
    name: 'CI Pipeline',
    type: 'service',
    environment: 'sandbox',
    permissions: ['messages:read', 'chats:read'],
  });
  step('API key created', `${key.id} ${key.keyPrefix}… (the secret is shown once: store it now)`);

  const names: string[] = [];
  for await (const k of coveton.apiKeys.list({ status: 'active' })) names.push(`${k.name} [${k.status}]`);
  step('API keys listed', `${names.length}: ${names.join(', ')}`);

  const message = await coveton.messages.send(
    {
      chatId: 'chat_8f2a',
      contentType: 'text/plain',
      ciphertext: 'QkFTRTY0X09QQVFVRV9DSVBIRVJURVhU',
      envelopes: [{ deviceId: 'dev_a1', header: 'U0VBTEVEX0tFWV9GT1JfREVWSUNFX0Ex' }],
    },
    { idempotencyKey: crypto.randomUUID() }, // a retry with this key never posts twice
  );
  step('message sent', `${message.id} in ${message.chatId}, ${message.envelopes.length} envelope(s)`);

  const upload = await coveton.files.presignUpload({ filename: 'report.enc', contentType: 'application/octet-stream', size: 482711 });
  step('file presigned', `${upload.fileId}, PUT within ${upload.expiresIn} s`);

  const checkout = await coveton.billing.createCheckoutSession('org_7Qk2mP4x', {
    plan: 'team_annual',
    provider: 'stripe',
    successUrl: 'https://app.example.com/billing',
  });
  step('checkout started', new URL(checkout.checkoutUrl).host);

  const limits = coveton.rateLimit;
  if (limits) step('rate limit', `${limits.remaining}/${limits.limit} left, resets ${new Date(limits.resetAt).toISOString()}`);
} catch (error) {
  if (error instanceof APIError) console.error(`  ✗ ${error.name} (${error.status}): ${error.message}`);
  else console.error('  ✗', error);
  process.exitCode = 1;
}
