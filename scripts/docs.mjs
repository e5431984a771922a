#!/usr/bin/env node
// `npm run docs`: the docs site, pre-rendered by VitePress into docs/.vitepress/dist/.
//   generated/openapi.json + generated/resources.ts -> docs/reference/ (a page per operation and
//   event, samples in twelve languages) -> VitePress build of docs/ (guides, reference, search)
//   -> a .br and a .gz beside every text file (docs/compress.mjs) for `npm run docs:serve`.
// Nothing in the built site loads from the network. `--out DIR` writes the site elsewhere;
// `--json` prints the summary (pages, wall and CPU time) as one JSON line.
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compressSite } from './docs/compress.mjs';
import { writeReference } from './docs/reference.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildDocs({ out = join(root, 'docs', '.vitepress', 'dist'), quiet = false } = {}) {
  const started = Date.now();
  const reference = writeReference(root);
  const { build } = await import('vitepress');
  const log = console.log;
  const info = console.info;
  // VitePress reports progress on the console; the test runner wants silence.
  if (quiet) console.log = console.info = () => {};
  try {
    await build(join(root, 'docs'), { outDir: out, mpa: false });
  } finally {
    console.log = log;
    console.info = info;
  }
  const compressed = compressSite(out);
  const cpu = process.cpuUsage();
  return { out, ...reference, compressed, ms: Date.now() - started, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  try {
    const result = await buildDocs({ out: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined, quiet: args.includes('--json') });
    if (args.includes('--json')) console.log(JSON.stringify(result));
    else {
      const { files, raw, brotli } = result.compressed;
      console.log(`docs: ${result.operations} operations and events on ${result.pages} reference pages -> ${result.out} (${result.ms} ms, ${result.cpuMs} ms of CPU); ${files} files pre-compressed, ${(raw / 1e6).toFixed(1)} MB -> ${(brotli / 1e6).toFixed(1)} MB brotli. Serve it with \`npm run docs:serve\`.`);
    }
  } catch (error) {
    console.error(error.stack ?? error.message);
    process.exit(1);
  }
}
