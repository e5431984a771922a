// Size: the figures of the size budget (`npm run size`, scripts/size.mjs), in the same report:
// each entry bundled from dist/ for the browser with esbuild, minified, gzipped, against
// size-budget.json. If scripts/size.mjs cannot be loaded, the same measurement is made here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { asPart, ROOT } from './child.mjs';

/** The fallback: createCoveton and the webhook helpers, bundled as an app's bundler would. */
export async function measureHere() {
  const { build } = await import('esbuild');
  const entries = [
    { name: 'createCoveton', file: 'dist/index.js', imports: ['createCoveton'] },
    { name: 'webhooks', file: 'dist/webhooks.js', imports: ['constructEvent', 'verifySignature', 'signPayload'] },
  ];
  const results = [];
  for (const { name, file, imports } of entries) {
    const names = imports.join(', ');
    const out = await build({
      stdin: { contents: `import { ${names} } from ${JSON.stringify(join(ROOT, file))};\nconsole.log(${names});\n`, resolveDir: ROOT, loader: 'js' },
      bundle: true, minify: true, treeShaking: true, platform: 'browser', format: 'esm', target: 'es2022',
      write: false, logLevel: 'silent', tsconfigRaw: {},
    });
    const code = out.outputFiles[0].contents;
    results.push({ name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length });
  }
  return results;
}

async function measure() {
  try {
    const size = await import('../size.mjs'); // the one line to change if scripts/size.mjs moves
    return { source: 'scripts/size.mjs', results: await size.measureSize(), budget: size.readBudget() };
  } catch (error) {
    console.log(`scripts/size.mjs unavailable (${error.message.split('\n')[0]}); measuring with esbuild here`);
    let budget = {};
    try {
      budget = JSON.parse(readFileSync(join(ROOT, 'size-budget.json'), 'utf8')).budgets;
    } catch {}
    return { source: 'scripts/bench/size.mjs', results: await measureHere(), budget };
  }
}

export async function run() {
  const { source, results, budget } = await measure();
  const entries = results.map(({ name, minified, gzip }) => {
    const limit = budget?.[name]?.gzip;
    return { name, minified, gzip, budget: limit ?? null, withinBudget: typeof limit === 'number' ? gzip <= limit : null };
  });
  console.log(`size: ${entries.map((e) => `${e.name} ${(e.gzip / 1024).toFixed(2)} KiB gz`).join(', ')}`);
  return { source, entries };
}

await asPart(import.meta, run);
