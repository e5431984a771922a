#!/usr/bin/env node
// `npm run docs`: the API reference as a static site in docs/, from the bundled spec.
//   generated/openapi.json -> + x-codeSamples (TypeScript with the SDK, curl) and a sidebar entry
//   per schema -> docs/openapi.json,
//   linted with Redocly CLI -> docs/index.html + Redoc's standalone bundle from node_modules.
// Nothing is loaded from the network when the page is opened. `--out DIR` writes elsewhere;
// `--no-lint` skips the Redocly lint of the docs copy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withCodeSamples } from './docs/samples.mjs';
import { offlineRedocBundle, renderPage } from './docs/page.mjs';
import { withSchemaSections } from './docs/sections.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Every operationId of the spec: its paths and its webhooks. */
export function operationIds(spec) {
  const ids = [];
  for (const group of [spec.paths ?? {}, spec.webhooks ?? {}]) {
    for (const item of Object.values(group)) {
      for (const op of Object.values(item)) if (op && typeof op === 'object' && op.operationId) ids.push(op.operationId);
    }
  }
  return ids;
}

function lint(file) {
  const manifest = require.resolve('@redocly/cli/package.json');
  const cli = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.redocly);
  execFileSync(process.execPath, [cli, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format=summary'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
}

export function buildDocs({ out = join(root, 'docs'), lint: runLint = true, source = join(root, 'generated', 'openapi.json') } = {}) {
  const spec = withSchemaSections(withCodeSamples(JSON.parse(readFileSync(source, 'utf8'))));
  mkdirSync(out, { recursive: true });
  const specFile = join(out, 'openapi.json');
  writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`);
  if (runLint) lint(specFile);
  const redocDir = join(dirname(require.resolve('redoc/package.json')), 'bundles');
  writeFileSync(join(out, 'redoc.standalone.js'), offlineRedocBundle(readFileSync(join(redocDir, 'redoc.standalone.js'), 'utf8')));
  copyFileSync(join(redocDir, 'redoc.standalone.js.LICENSE.txt'), join(out, 'redoc.standalone.js.LICENSE.txt'));
  writeFileSync(join(out, 'index.html'), renderPage({ spec, redocScript: 'redoc.standalone.js', downloadUrl: 'openapi.json' }));
  return { out, spec, operationIds: operationIds(spec) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const started = Date.now();
  try {
    const result = buildDocs({ out: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined, lint: !args.includes('--no-lint') });
    console.log(`docs: ${result.operationIds.length} operations and webhooks -> ${result.out}/index.html (${Date.now() - started} ms)`);
  } catch (error) {
    console.error(error.stderr?.toString() || error.message);
    process.exit(1);
  }
}
