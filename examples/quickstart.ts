// The SDK quickstart: sign in, read the current user, create an API key, list keys, register a
// device for Ada and one for Bob, send Bob an end-to-end encrypted message and open it on his
// device, presign a file upload and start a checkout. `npm start` runs it against the bundled
// mock API; point COVETON_BASE_URL at the sandbox to run it for real.
import { APIError, createCoveton } from '@coveton/sdk';
import { e2eClient, loadOrCreateDevice, memoryKeyStore } from '@coveton/sdk/e2e';

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
    name: 'Quickstart',
    type: 'service',
    environment: 'sandbox',
    permissions: ['messages:read', 'chats:read'],
  });
  step('API key created', `${key.id} ${key.keyPrefix}… (the secret is shown once: store it now)`);

  const names: string[] = [];
  for await (const k of coveton.apiKeys.list({ status: 'active' })) names.push(`${k.name} [${k.status}]`);
  step('API keys listed', `${names.length}: ${names.join(', ')}`);

  // End to end: each device makes its own keys and publishes only the public ones. memoryKeyStore
  // forgets them on exit; keep them in a file or IndexedDB store in a real app.
  const adaDevice = await loadOrCreateDevice({ store: memoryKeyStore(), name: "Ada's laptop", platform: 'web' });
  const { id: adaDeviceId } = await adaDevice.register(coveton);
  step('device registered', `${adaDevice.id} ${adaDevice.name}`);

  const bob = createCoveton({ baseUrl: process.env.COVETON_BASE_URL });
  await bob.session.login({ email: 'bob@example.com', password: 'bob-strong-passphrase' });
  const bobDevice = await loadOrCreateDevice({ store: memoryKeyStore(), name: "Bob's tablet", platform: 'web' });
  const { id: bobDeviceId } = await bobDevice.register(bob);
  step('device registered', `${bobDevice.id} ${bobDevice.name}`);

  // A memory store's keys end with this process: whatever happens next, both devices are removed
  // so that no one seals to them again. A removed device stays listed with its removedAt, and what
  // it sent before still opens.
  try {
    // Sealed on Ada's device to every device in the chat: the API stores ciphertext only.
    const plaintext = 'Hello Bob, the quarterly numbers are in.';
    const message = await e2eClient(coveton, adaDevice).messages.send(
      { chatId: 'chat_8f2a', plaintext, contentType: 'text/plain' },
      { idempotencyKey: crypto.randomUUID() }, // a retry with this key never posts twice
    );
    step('message sent', `${message.id} "${plaintext}" sealed to ${message.envelopes.length} devices, each active one of Ada's and Bob's`);
    step('stored by the API', `${message.ciphertext.slice(0, 24)}… (${message.ciphertext.length} chars of ciphertext)`);

    // Bob reads the chat and opens the message with his device's keys.
    for await (const received of bob.chats.listMessages('chat_8f2a')) {
      if (received.id !== message.id) continue;
      const opened = await e2eClient(bob, bobDevice).messages.decrypt(received);
      step('message decrypted', `on ${bobDevice.name}: "${opened.text}" from ${opened.senderDeviceId}`);
    }
  } finally {
    await coveton.devices.delete(adaDeviceId);
    await bob.devices.delete(bobDeviceId);
  }
  step('devices removed', `${adaDeviceId}, ${bobDeviceId}`);

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
