// Every operation's samples, exactly as the site shows them, run against `coveton mock` (started
// here, free port, reset before each sample) in every language whose toolchain this machine has
// (.ci/run installs them from Debian). A sample passes when it exits 0 and prints the body; the
// operations whose example cannot succeed from a sample (listed below, with why) must exit
// non-zero and print the error envelope, which proves the error path of every language too.
// Rust and Swift have no Debian toolchain with their libraries here: test/docs/samples.test.ts
// parses them. The per-language table is printed at the end.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type Mock } from './support/mock.js';
import { RUNNERS, type Outcome, type Sample } from './support/runners.js';
import { root } from './support/site.js';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { LANGUAGES } from '../../scripts/docs/languages.mjs';
// @ts-expect-error: plain .mjs modules without types
import { samplesFor } from '../../scripts/docs/samples/index.mjs';

type Entry = { kind: string; operationId: string; success: string; responses: Record<string, unknown>; shape: { paginated: boolean } };

/** Operations whose example request cannot succeed as a pasted sample, and why. */
export const EXPECTED_TO_FAIL: Record<string, string> = {
  acceptInvite: "needs the invitee's own access token (the mock seeds Bob's invite); an API key is refused",
  receiveStripeWebhook: "sent by Stripe, signed over the exact body and time with the processor's secret",
  receivePaystackWebhook: "sent by Paystack, signed with the processor's secret",
  receiveFlutterwaveWebhook: "sent by Flutterwave with the processor's secret hash",
};

const contract = loadContract(root) as { spec: unknown; operations: Entry[] };
const operations = contract.operations.filter((e) => e.kind === 'operation');
const KEY = 'ak_test_docsSamples0123456789ab0';

/** Whether the operation's success answer has a JSON body the sample must print. */
const hasBody = (entry: Entry) => {
  const response = entry.responses[entry.success] as { content?: unknown; $ref?: string } | undefined;
  return /^2/.test(entry.success) && (!!response?.content || !!response?.$ref);
};

function available(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('samples run against the mock', () => {
  let mock: Mock;
  const dir = mkdtempSync(join(tmpdir(), 'coveton-run-'));
  const table: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    mock = await startMock();
  }, 60_000);
  afterAll(async () => {
    await mock?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`samples against the mock (${operations.length} operations, ${((Date.now() - started) / 1000).toFixed(1)} s):\n  ${table.join('\n  ')}`);
  });

  const reset = async () => {
    const res = await fetch(`${mock.url}/__mock/reset`, { method: 'POST', headers: { 'X-Coveton-Mock': '1' } });
    if (!res.ok) throw new Error(`reset: ${res.status}`);
  };

  it('knows the operations it expects to fail, and they are operations of the spec', () => {
    const ids = operations.map((e) => e.operationId);
    for (const id of Object.keys(EXPECTED_TO_FAIL)) expect(ids, id).toContain(id);
    expect(operations.length - Object.keys(EXPECTED_TO_FAIL).length).toBeGreaterThanOrEqual(64);
  });

  it('runs the languages the site says it runs, and no other', () => {
    const said = (LANGUAGES as { id: string; parsedOnly?: string }[]).filter((l) => !l.parsedOnly).map((l) => l.id);
    expect(Object.keys(RUNNERS).sort()).toEqual(said.sort());
  });

  for (const [lang, runner] of Object.entries(RUNNERS)) {
    it.runIf(available(runner.tool))(`${lang}: every operation's sample exits 0 with the body, or non-zero with the error envelope`, async () => {
      const t0 = Date.now();
      const langDir = join(dir, lang);
      mkdirSync(langDir);
      const all: Sample[] = operations.map((entry) => ({ id: entry.operationId, code: (samplesFor(contract.spec, entry) as { lang: string; code: string }[]).find((s) => s.lang === lang)!.code }));
      // A TypeScript sample of an operation the SDK does not call (the session refresh, a payment
      // processor's webhook) is a comment saying so: nothing to run.
      const skipped = all.filter((s) => s.code.split('\n').every((line) => line.startsWith('//')));
      const samples = all.filter((s) => !skipped.includes(s));
      const results = await runner.run(samples, { dir: langDir, env: { COVETON_BASE_URL: mock.url, COVETON_API_KEY: KEY }, mockUrl: mock.url, reset, sdkEntry: join(root, 'src', 'index.ts'), sdkRoot: root, cacheDir: join(root, 'test-output', 'samples-run') });
      const wrong: string[] = [];
      for (const entry of operations.filter((e) => !skipped.some((s) => s.id === e.operationId))) {
        const got: Outcome | undefined = results.get(entry.operationId);
        const failing = entry.operationId in EXPECTED_TO_FAIL;
        if (!got) wrong.push(`${entry.operationId}: did not run`);
        // The SDK throws a typed error rather than printing the envelope.
        else if (failing && (got.code === 0 || (lang !== 'typescript' && !got.out.includes('"error"')))) wrong.push(`${entry.operationId}: expected an error exit with the envelope, got ${got.code}: ${got.out.slice(0, 300)}`);
        else if (!failing && got.code !== 0) wrong.push(`${entry.operationId}: exit ${got.code}: ${got.out.slice(0, 300)}`);
        // The SDK's list samples print one id per item, and a fresh mock has no invoices or audit entries.
        else if (!failing && hasBody(entry) && !(lang === 'typescript' && entry.shape.paginated) && got.out.trim() === '') wrong.push(`${entry.operationId}: printed nothing`);
      }
      const failing = samples.filter((s) => s.id in EXPECTED_TO_FAIL).length;
      const note = skipped.length > 0 ? `; ${skipped.length} comment-only (${skipped.map((s) => s.id).join(', ')})` : '';
      table.push(`${lang.padEnd(10)} ran ${results.size}/${operations.length}, as expected ${samples.length - wrong.length}/${samples.length} (2xx ${samples.length - failing}, error exit ${failing}${note}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      expect(wrong).toEqual([]);
    }, 240_000);
  }
});
