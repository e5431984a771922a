#!/usr/bin/env node
// `npm run size`: what the SDK costs a browser bundle. Each entry below is bundled with esbuild
// for the browser (minified, tree-shaken, dependencies included, as an app's bundler would) from
// the built package's `import` export, then gzipped. Budgets live in size-budget.json; the
// tests measure the packed tarball with the same function. `--json` prints the figures as JSON.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What a user imports: the subpath of the package, and the names taken from it. */
export const ENTRIES = [
  { name: 'createCoveton', subpath: '.', imports: ['createCoveton'] },
  { name: 'webhooks', subpath: './webhooks', imports: ['constructEvent', 'verifySignature', 'signPayload'] },
  { name: 'e2e', subpath: './e2e', imports: ['loadOrCreateDevice', 'memoryKeyStore', 'e2eClient', 'E2EError'] },
];

/** The file the `import` condition of `exports[subpath]` points at. */
function exportedFile(packageDir, subpath) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  let target = manifest.exports?.[subpath];
  while (target && typeof target === 'object') target = target.browser ?? target.import ?? target.default;
  if (typeof target !== 'string') throw new Error(`${manifest.name} exports no "import" for ${subpath}`);
  const file = join(packageDir, target);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the package first (npm run build)`);
  return file;
}

/**
 * Bundles each entry of `entries` from the package in `packageDir` (the repo, or a packed and
 * installed copy) and returns its minified and gzipped sizes in bytes.
 */
export async function measureSize({ packageDir = root, entries = ENTRIES } = {}) {
  const results = [];
  for (const entry of entries) {
    const file = exportedFile(packageDir, entry.subpath);
    const names = entry.imports.join(', ');
    const result = await build({
      stdin: { contents: `import { ${names} } from ${JSON.stringify(file)};\nconsole.log(${names});\n`, resolveDir: packageDir, loader: 'js' },
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // The package as published, not the repo's TypeScript `paths` back to src/.
      tsconfigRaw: {},
    });
    const code = result.outputFiles[0].contents;
    const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== '<stdin>');
    results.push({ name: entry.name, subpath: entry.subpath, imports: entry.imports, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs });
  }
  return results;
}

/** The budgets: `{ [entry name]: { gzip: bytes } }`. */
export function readBudget(file = join(root, 'size-budget.json')) {
  return JSON.parse(readFileSync(file, 'utf8')).budgets;
}

/** The entries over budget (or with no budget), as messages. */
export function overBudget(results, budget = readBudget()) {
  return results.flatMap((r) => {
    const limit = budget[r.name]?.gzip;
    if (typeof limit !== 'number') return [`${r.name}: no budget in size-budget.json`];
    return r.gzip > limit ? [`${r.name}: ${r.gzip} B gzipped, over its budget of ${limit} B`] : [];
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const results = await measureSize();
    const budget = readBudget();
    if (process.argv.includes('--json')) console.log(JSON.stringify(results.map(({ inputs, ...r }) => ({ ...r, budget: budget[r.name]?.gzip })), null, 2));
    else for (const r of results) console.log(`${r.name.padEnd(14)} ${kb(r.minified).padStart(10)} minified  ${kb(r.gzip).padStart(10)} gzipped  (budget ${kb(budget[r.name]?.gzip ?? 0)}, ${r.inputs.length} modules)`);
    const failures = overBudget(results, budget);
    for (const failure of failures) console.error(`size: ${failure}`);
    process.exit(failures.length > 0 ? 1 : 0);
  } catch (error) {
    console.error(`size: ${error.message}`);
    process.exit(1);
  }
}
