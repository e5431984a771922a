// The one small program every runtime runs (test/runtimes/matrix.test.ts): written like user code
// against the package's own build (`@coveton/sdk` and `@coveton/sdk/webhooks` are the ESM files
// tsup makes for dist), bundled once, and run unchanged in Node, Bun, Deno, workerd and Chromium.
// It reports what it saw as plain JSON; the test compares every runtime's report to one answer.
import { createCoveton, CovetonInputError, UnauthorizedError } from '@coveton/sdk';
import { constructEvent, signPayload, WebhookSignatureError } from '@coveton/sdk/webhooks';
import { e2eClient, indexedDbKeyStore, loadOrCreateDevice, memoryKeyStore, type KeyStore } from '@coveton/sdk/e2e';

import { TEST_KEY, WEBHOOK_BODY, WEBHOOK_SECRET, WEBHOOK_T } from './constants.js';

interface Globals {
  Deno?: { version: { deno: string } };
  Bun?: { version: string };
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
  document?: unknown;
}

/** Which runtime this is, as the runtime itself says. */
function runtime(): string {
  const g = globalThis as Globals;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (g.document) return `browser ${g.navigator?.userAgent ?? ''}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  return 'unknown';
}

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message.slice(0, 300) } : { name: typeof error, message: String(error) };

/**
 * The e2e round trip against the stateful mock at `mockUrl`: Ada and Bob register a device each,
 * Ada sends Bob a sealed message with a sealed file, Bob reads the chat, opens both. In a browser
 * Ada's keys live in IndexedDB: the report says whether they came back non-extractable.
 */
async function e2eRoundTrip(mockUrl: string, name: string): Promise<Record<string, unknown>> {
  const browser = Boolean((globalThis as Globals).document);
  const person = async (email: string, password: string, store: KeyStore) => {
    const coveton = createCoveton({ baseUrl: mockUrl, logLevel: 'off' });
    await coveton.session.login({ email, password });
    const device = await loadOrCreateDevice({ store, name: `${name.slice(0, 40)} ${email}`, platform: browser ? 'web' : 'server' });
    await device.register(coveton);
    return { coveton, device, secure: e2eClient(coveton, device) };
  };
  const adaStore = browser ? indexedDbKeyStore({ database: 'coveton-runtime-matrix' }) : memoryKeyStore();
  const ada = await person('ada@example.com', 'a-strong-passphrase', adaStore);
  const bob = await person('bob@example.com', 'bob-strong-passphrase', memoryKeyStore());

  const data = new Uint8Array(100_000).map((_, i) => (i * 7919) % 251);
  const attachment = await ada.secure.files.upload(data, { filename: 'data.bin' });
  const sent = await ada.secure.messages.send({ chatId: 'chat_8f2a', plaintext: `hello from ${name}`, contentType: 'text/plain', files: [attachment] });
  let opened: Awaited<ReturnType<typeof bob.secure.messages.decrypt>> | undefined;
  for await (const message of bob.coveton.chats.listMessages('chat_8f2a')) if (message.id === sent.id) opened = await bob.secure.messages.decrypt(message);
  const back = new Uint8Array(await new Response(await bob.secure.files.download(opened!.files[0]!)).arrayBuffer());
  const out: Record<string, unknown> = {
    text: opened?.text,
    fromAda: opened?.senderDeviceId === ada.device.id,
    file: back.length === data.length && back.every((b, i) => b === data[i]) ? 'same' : 'differs',
  };
  if (browser) {
    // The keys as IndexedDB gives them back, and the same device loaded again from it.
    const record = (await adaStore.get('coveton-e2e/device')) as { identity: CryptoKeyPair; preKeys: { pair: CryptoKeyPair }[] };
    const again = await loadOrCreateDevice({ store: indexedDbKeyStore({ database: 'coveton-runtime-matrix' }), name: 'again', platform: 'web' });
    out.indexedDb = {
      extractable: [record.identity.privateKey.extractable, record.preKeys[0]!.pair.privateKey.extractable],
      isCryptoKey: record.identity.privateKey instanceof CryptoKey,
      reloaded: again.id === ada.device.id && again.identityKey === ada.device.identityKey,
    };
  }
  return out;
}

export async function run(baseUrl: string, mockUrl: string): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = { runtime: runtime() };

  // An API key is refused in a browser page unless the caller opts in; allowed anywhere else.
  try {
    createCoveton({ baseUrl, apiKey: TEST_KEY });
    report.apiKeyWithoutOptIn = 'allowed';
  } catch (error) {
    report.apiKeyWithoutOptIn = error instanceof CovetonInputError ? 'refused' : describe(error);
  }

  const retries: number[] = [];
  const coveton = createCoveton({
    baseUrl,
    apiKey: TEST_KEY,
    dangerouslyAllowBrowser: true, // a test page used by its owner only
    logLevel: 'off',
    backoff: { initialDelay: 1, maxDelay: 5, jitter: 0 },
    hooks: { onRetry: ({ attempt }) => void retries.push(attempt) },
  });

  // A GET whose answer carries rate-limit headers.
  const key = await coveton.apiKeys.get('key_ok');
  report.get = { id: key.id, name: key.name };
  const figures = coveton.rateLimit;
  report.rateLimit = figures && { limit: figures.limit, remaining: figures.remaining, resetAt: figures.resetAt / 1000 };

  // 503, then 200: retried once.
  const retried = await coveton.apiKeys.get('key_retry');
  report.retry = { id: retried.id, retries };

  // A 401 becomes the typed error.
  try {
    await coveton.apiKeys.get('key_401');
    report.unauthorized = 'resolved';
  } catch (error) {
    const e = error as UnauthorizedError;
    report.unauthorized = {
      typed: error instanceof UnauthorizedError,
      name: e.name,
      status: e.status,
      code: e.code,
      reason: e.reason,
      requestId: e.requestId,
      showsKey: JSON.stringify(e).includes(TEST_KEY) || e.message.includes(TEST_KEY),
    };
  }

  // Webhooks: sign, verify and parse; a changed body is refused.
  const header = await signPayload(WEBHOOK_BODY, WEBHOOK_SECRET, { timestamp: WEBHOOK_T });
  const now = () => WEBHOOK_T * 1000;
  const event = await constructEvent(WEBHOOK_BODY, header, WEBHOOK_SECRET, { now });
  let tampered: unknown;
  try {
    await constructEvent(WEBHOOK_BODY.replace('key_9', 'key_8'), header, WEBHOOK_SECRET, { now });
    tampered = 'accepted';
  } catch (error) {
    tampered = error instanceof WebhookSignatureError ? error.reason : describe(error);
  }
  report.webhook = { header, type: event.type, dataId: (event.data as { id?: string }).id, tampered };

  try {
    report.e2e = await e2eRoundTrip(mockUrl, report.runtime as string);
  } catch (error) {
    report.e2e = describe(error);
  }
  return report;
}
