#!/usr/bin/env node
// One command from the contract to everything derived from it:
//   lint spec/ -> bundle into generated/openapi.{yaml,json} -> openapi-typescript types
//   -> SDK resource methods.
// `--out DIR` writes the outputs elsewhere (the drift test compares them with generated/);
// `--no-lint` leaves the lint out (the drift test: the test beside it lints the same spec).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'generated');
const quiet = args.includes('--quiet');

function bin(pkg, name) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  return join(dirname(manifestPath), rel);
}

function run(pkg, name, argv) {
  execFileSync(process.execPath, [bin(pkg, name), ...argv], {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
}

mkdirSync(out, { recursive: true });
const spec = join(root, 'spec', 'openapi.yaml');

if (!args.includes('--no-lint')) run('@redocly/cli', 'redocly', ['lint', spec, '--format=summary']);
run('@redocly/cli', 'redocly', ['bundle', spec, '-o', join(out, 'openapi.yaml')]);
run('@redocly/cli', 'redocly', ['bundle', spec, '--ext', 'json', '-o', join(out, 'openapi.json')]);
run('openapi-typescript', 'openapi-typescript', [
  join(out, 'openapi.yaml'),
  '--output',
  join(out, 'schema.d.ts'),
  '--alphabetize',
  '--redocly',
  join(root, 'redocly.yaml'),
]);

// The SDK's resource methods come from the bundled spec, never from hand edits.
const { renderModels, renderProbes, renderResources } = await import('./codegen/resources.mjs');
const bundled = JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8'));
// The JSON form is for programs (the mock, the contract checks, the docs build, `@coveton/sdk/openapi.json`):
// written without indentation it packs about 8 KB smaller. People read openapi.yaml.
writeFileSync(join(out, 'openapi.json'), `${JSON.stringify(bundled)}\n`);
writeFileSync(join(out, 'resources.ts'), renderResources(bundled));
writeFileSync(join(out, 'models.ts'), renderModels(bundled));
writeFileSync(join(out, 'probes.ts'), renderProbes(bundled));
if (!quiet) console.log(`generated into ${out}`);
