#!/usr/bin/env node
// `npm run size`: what the SDK costs a browser bundle. Each entry below is bundled with esbuild
// for the browser (minified, tree-shaken, dependencies included, as an app's bundler would) from
// the built package's `import` export, then gzipped. Budgets live in size-budget.json; the
// tests measure the packed tarball with the same function. `--json` prints the figures as JSON.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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
  // Split as an application's bundler splits (Vite, webpack, esbuild): what the SDK loads with
  // import() on first use (the file transfer code) is a chunk of its own, fetched only when a
  // file moves. `gzip` is what the application loads up front (the entry and the chunks it
  // imports statically); `lazyGzip` the chunks loaded on demand.
  const scratch = mkdtempSync(join(tmpdir(), 'coveton-size-'));
  try {
    for (const entry of entries) {
      const file = exportedFile(packageDir, entry.subpath);
      const names = entry.imports.join(', ');
      const main = join(scratch, `${entry.name}.mjs`);
      writeFileSync(main, `import { ${names} } from ${JSON.stringify(file)};\nconsole.log(${names});\n`);
      const result = await build({
        entryPoints: [main],
        absWorkingDir: packageDir,
        outdir: join(scratch, 'out'),
        bundle: true,
        splitting: true,
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
      const outputs = result.metafile.outputs;
      const byPath = new Map(result.outputFiles.map((f) => [relative(packageDir, f.path).split('\\').join('/'), f.contents]));
      // By name, not by order: with splitting, every import() target is an entry point too.
      const ownEntry = relative(packageDir, main).split('\\').join('/');
      const entryOut = Object.keys(outputs).find((path) => outputs[path].entryPoint === ownEntry);
      if (!entryOut) throw new Error(`esbuild wrote no output for ${ownEntry}`);
      // The entry and every chunk it imports statically, transitively.
      const upFront = new Set();
      const visit = (path) => {
        if (upFront.has(path)) return;
        upFront.add(path);
        for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
      };
      visit(entryOut);
      const bytes = (paths) => paths.reduce((sum, path) => sum + byPath.get(path).length, 0);
      const gzipOf = (paths) => (paths.length ? gzipSync(Buffer.concat(paths.map((path) => byPath.get(path))), { level: 9 }).length : 0);
      const lazy = Object.keys(outputs).filter((path) => !upFront.has(path) && !path.endsWith('.map'));
      const inputsOf = (paths) => [...new Set(paths.flatMap((path) => Object.keys(outputs[path].inputs)))].filter((f) => !f.endsWith(`${entry.name}.mjs`));
      results.push({
        name: entry.name,
        subpath: entry.subpath,
        imports: entry.imports,
        minified: bytes([...upFront]),
        gzip: gzipOf([...upFront]),
        lazyGzip: gzipOf(lazy),
        // Each chunk loaded on demand alone, named by its first module (`files`, `identity`).
        lazyChunks: lazy.map((path) => ({ name: chunkName(inputsOf([path])[0] ?? path), gzip: gzipOf([path]) })),
        inputs: inputsOf([...upFront]),
        lazyInputs: inputsOf(lazy),
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
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
/** `dist/files-AB12CD.js` → `files`. */
const chunkName = (file) => file.split('/').pop().replace(/(-[A-Z0-9]+)?\.[cm]?js$/, '');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const results = await measureSize();
    const budget = readBudget();
    if (process.argv.includes('--json')) console.log(JSON.stringify(results.map(({ inputs, lazyInputs, ...r }) => ({ ...r, budget: budget[r.name]?.gzip })), null, 2));
    else for (const r of results) console.log(`${r.name.padEnd(14)} ${kb(r.minified).padStart(10)} minified  ${kb(r.gzip).padStart(10)} gzipped  (budget ${kb(budget[r.name]?.gzip ?? 0)}, ${r.inputs.length} modules)${r.lazyGzip ? `, on demand ${kb(r.lazyGzip)} gzipped (${r.lazyChunks.map((c) => `${c.name} ${kb(c.gzip)}`).join(', ')})` : ''}`);
    const failures = overBudget(results, budget);
    for (const failure of failures) console.error(`size: ${failure}`);
    process.exit(failures.length > 0 ? 1 : 0);
  } catch (error) {
    console.error(`size: ${error.message}`);
    process.exit(1);
  }
}
