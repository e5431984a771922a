// The one small program every runtime runs (test/runtimes/matrix.test.ts): written like user code
// against the package's own build (`@coveton/sdk` and `@coveton/sdk/webhooks` are the ESM files
// tsup makes for dist), bundled once, and run unchanged in Node, Bun, Deno, workerd and Chromium.
// It reports what it saw as plain JSON; the test compares every runtime's report to one answer.
import { createCoveton, CovetonInputError, UnauthorizedError } from '@coveton/sdk';
import { constructEvent, signPayload, WebhookSignatureError } from '@coveton/sdk/webhooks';

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

export async function run(baseUrl: string): Promise<Record<string, unknown>> {
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
  return report;
}
