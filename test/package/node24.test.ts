// The SDK's tests (test/sdk, test/webhooks) again, on Node 24: the binary comes from the npm
// package `node` (see test/runtimes/node24.ts for where it is installed and why).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { node24Binary } from '../runtimes/node24.js';
import { root, run } from './support/packed.js';

const MAJOR = '24';
const output = mkdtempSync(join(tmpdir(), 'coveton-node24-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

async function nodeBinary(): Promise<string> {
  const binary = await node24Binary();
  const version = (await run(binary, ['--version'], { cwd: root })).stdout.trim();
  expect(version).toMatch(new RegExp(`^v${MAJOR}\\.`));
  return binary;
}

it(`passes the SDK and webhook tests on Node ${MAJOR}`, async () => {
  const node = await nodeBinary();
  const report = join(output, 'report.json');
  const result = await run(
    node,
    [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/package/node24/vitest.config.ts', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, env: { COVETON_EXPECT_NODE_MAJOR: MAJOR, CI: 'true' }, timeout: 240_000 },
  );
  const tail = `${result.stdout}\n${result.stderr}`.slice(-6000);
  expect(existsSync(report), tail).toBe(true);
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const files: { name: string; status: string }[] = json.testResults;
  const failed = files.filter((f) => f.status !== 'passed').map((f) => f.name.slice(root.length));
  expect(failed, tail).toEqual([]);
  expect(result.code, tail).toBe(0);
  expect(files.some((f) => f.name.endsWith('runtime.check.ts')), 'the runtime check ran').toBe(true);
  expect(files.filter((f) => f.name.includes('/test/sdk/')).length).toBeGreaterThan(3);
  expect(files.filter((f) => f.name.includes('/test/webhooks/')).length).toBeGreaterThan(3);
  expect(json.numPassedTests).toBeGreaterThan(50);
}, 600_000);
