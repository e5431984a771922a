// Try it, operation by operation, with each page's default example: the request the console
// builds from the page's `tryit` data (scripts/docs/pages/operation.mjs) is built and sent by the
// console's own functions (docs/.vitepress/theme/try-it-request.ts), here from Node, to the mock
// (reset before each one). Every operation answers its documented success status; the three
// payment processors' webhooks are the exception, stated with the reason. The browser drives the
// same functions in test/docs/try-it.test.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestUrl, sendTryIt, type TryItSpec } from '../../docs/.vitepress/theme/try-it-request.js';
import { startMock, type RunningMock } from '../../src/mock/index.js';
import { root } from './support/site.js';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { tryItData } from '../../scripts/docs/pages/operation.mjs';

type Entry = { kind: string; operationId: string; success: string; path: string; method: string };
const { spec, operations } = loadContract(root) as { spec: unknown; operations: Entry[] };

/** Operations whose default example cannot succeed from a browser console, and why. */
const NOT_FROM_A_BROWSER: Record<string, string> = {
  receiveStripeWebhook: "sent by Stripe, signed over the exact body and the current time with the processor's secret",
  receivePaystackWebhook: "sent by Paystack, signed over the exact body with the processor's secret",
  receiveFlutterwaveWebhook: "sent by Flutterwave with the processor's secret hash",
};

const API_KEY = 'ak_test_tryItEveryOperation01234';
// The invite the example's token belongs to is Bob's (src/mock/seed-examples.ts).
const INVITEE = { email: 'bob@example.com', password: 'bob-strong-passphrase' };

describe('Try it with the default example, every operation', () => {
  let mock: RunningMock;

  beforeAll(async () => {
    mock = await startMock();
  }, 60_000);

  afterAll(async () => {
    await mock?.close();
  });

  /** What a reader gets from the console: the page's defaults, a fresh Idempotency-Key. */
  async function tryIt(entry: Entry, credential: string, body?: object) {
    const data = tryItData(spec, entry) as TryItSpec;
    const headers = { ...data.headers };
    if ('Idempotency-Key' in headers) headers['Idempotency-Key'] = randomUUID();
    const input = { baseUrl: mock.url, credential, pathParams: data.pathParams, query: data.query, headers, body: body ? JSON.stringify(body) : data.body ?? '' };
    const url = requestUrl(data, input);
    if (typeof url === 'string') throw new Error(`${entry.operationId}: ${url}`);
    return sendTryIt(data, input, url);
  }

  it('answers every operation with its documented 2xx', async () => {
    const login = operations.find((e) => e.operationId === 'login')!;
    const results: string[] = [];
    const wrong: string[] = [];
    for (const entry of operations.filter((e) => e.kind === 'operation')) {
      mock.reset();
      // The credential a reader types: their access token for what only a user may call (the
      // invitee's, Bob's, to accept his invite), else a sandbox key; the console sends either
      // as a bearer token. Signing in is itself the login page's Try it.
      const access = (spec as { paths: Record<string, Record<string, { 'x-access'?: { caller: string } }>> }).paths[entry.path]![entry.method.toLowerCase()]!['x-access'];
      let credential = API_KEY;
      if (access?.caller === 'user') {
        const signedIn = await tryIt(login, '', entry.operationId === 'acceptInvite' ? INVITEE : undefined);
        credential = (JSON.parse(signedIn.body) as { accessToken: string }).accessToken;
      }
      const result = await tryIt(entry, credential);
      const expected = NOT_FROM_A_BROWSER[entry.operationId] ? 'error' : entry.success;
      const ok = expected === 'error' ? result.status >= 400 : String(result.status) === expected;
      results.push(`${entry.operationId} ${result.status}`);
      if (!ok) wrong.push(`${entry.operationId}: expected ${expected}, got ${result.status} ${result.body.slice(0, 200)}`);
    }
    const passed = results.length - Object.keys(NOT_FROM_A_BROWSER).length - wrong.length;
    console.log(`Try it, default examples: ${passed}/${results.length - Object.keys(NOT_FROM_A_BROWSER).length} operations answered their success status; ${Object.keys(NOT_FROM_A_BROWSER).length} processor webhooks refused as expected (${Object.values(NOT_FROM_A_BROWSER)[0]}, ...)`);
    expect(wrong).toEqual([]);
    expect(results.length).toBe(operations.filter((e) => e.kind === 'operation').length);
    expect(mock.violations).toEqual([]);
  }, 120_000);
});
