// `npm start`: the SDK quickstart against the bundled mock API, with no account and no network.
// Starts Prism on generated/openapi.yaml (127.0.0.1, validating) the way `coveton mock` does,
// runs examples/quickstart.ts through the SDK, prints its report, and stops the mock.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBundledMock } from '../src/cli/prism.js';
import { bundledSpecPath } from '../src/cli/spec-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const mock = await startBundledMock(bundledSpecPath('openapi.yaml'), 10 * 60 * 1000);
console.log(`Coveton mock API (Prism, validating) on ${mock.url} — started in ${Date.now() - started} ms`);
console.log('Running examples/quickstart.ts through the SDK:\n');

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', 'quickstart.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, COVETON_BASE_URL: mock.url, COVETON_LOG: process.env.COVETON_LOG ?? 'warn' },
});
const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
await mock.stop();
console.log(code === 0 ? `\nDone in ${Date.now() - started} ms. Keep a mock running with: npm run mock` : '\nThe quickstart failed.');
process.exit(code);
