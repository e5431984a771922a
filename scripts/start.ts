// `npm start`: the SDK quickstart against the bundled mock API, with no account and no network.
// Starts the stateful mock (src/mock, every request and answer checked against
// generated/openapi.json with Prism's validators) in this process, runs examples/quickstart.ts
// through the SDK in a child process, prints its report, and stops the mock.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock } from '../src/mock/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const mock = await startMock();
console.log(`Coveton mock API (stateful, validating) on ${mock.url} — started in ${mock.startupMs} ms`);
console.log('Running examples/quickstart.ts through the SDK:\n');

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', 'quickstart.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, COVETON_BASE_URL: mock.url, COVETON_LOG: process.env.COVETON_LOG ?? 'warn' },
});
let code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
for (const v of mock.violations) {
  console.error(`  ✗ the mock broke the contract on ${v.operation}: ${v.violations.join('; ')}`);
  code = 1;
}
await mock.close();
console.log(code === 0 ? `\nDone in ${Date.now() - started} ms. Keep a mock running with: npm run mock` : '\nThe quickstart failed.');
process.exit(code);
