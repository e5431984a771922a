// The fetch build against hand-written fetch in each runtime that has the binary here: Node (the
// running one), Bun and Deno (devDependencies) and Chromium (Debian's). Each runtime runs
// fetch-measure.mjs once against the bench server (fetch-client.mjs in the three processes,
// fetch-browser.mjs in a page); the figures are ratios inside that one process.
//
// Alone: `node scripts/bench/fetch-runtimes.mjs` (starts its own server).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_KEY, asPart, BENCH_DIR, ROOT, SDK_ENTRY } from './child.mjs';
import { CHROMIUM, runInChromium } from './fetch-browser.mjs';

const CLIENT = join(BENCH_DIR, 'fetch-client.mjs');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/** How each runtime starts a script: Deno with the network of 127.0.0.1 and the repo to read, nothing else. */
const RUNTIMES = {
  node: () => [process.execPath, [CLIENT]],
  bun: () => [bin('bun'), [CLIENT]],
  deno: () => [bin('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${ROOT}`, CLIENT]],
};

function runClient(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop();
      if (code === 0 && last) resolve(JSON.parse(last));
      else reject(new Error(`${command} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

export async function run({ url, quick }) {
  const env = process.env;
  const warmup = Number(env.BENCH_WARMUP ?? (quick ? 200 : 500));
  const calls = Number(env.BENCH_CALLS ?? (quick ? 300 : 1000));
  const rounds = Number(env.BENCH_ROUNDS ?? (quick ? 3 : 9));
  const result = { calls, rounds, warmup, runtimes: {}, skipped: {} };
  for (const [name, command] of Object.entries(RUNTIMES)) {
    const [file, args] = command();
    if (file !== process.execPath && !existsSync(file)) {
      result.skipped[name] = `${file} is not installed`;
      continue;
    }
    process.stderr.write(`  fetch build in ${name}...\n`);
    result.runtimes[name] = await runClient(file, [...args, url, pathToFileURL(SDK_ENTRY).href, API_KEY, String(warmup), String(calls), String(rounds)]);
  }
  if (existsSync(CHROMIUM)) {
    process.stderr.write('  fetch build in chromium...\n');
    result.runtimes.chromium = await runInChromium(url, { warmup, calls, rounds });
  } else result.skipped.chromium = `${CHROMIUM} is not installed`;
  return result;
}

await asPart(import.meta, run);
