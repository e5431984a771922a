#!/usr/bin/env node
// `npm run bench`: what the SDK costs next to hand-written fetch, in figures. Builds dist/
// when it is missing or older than src/, starts the HTTP server in its own process, runs each
// part in a fresh Node process, prints one table and writes bench-results/latest.json (and a
// dated copy) with the machine it ran on, so that runs can be compared. Quick or partial runs
// write only a dated `-partial` file.
//
//   npm run bench                         every part
//   npm run bench -- --quick              fewer rounds (a smoke run, figures rough)
//   npm run bench -- --only overhead,size some parts
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { builtAt, ensureBuild, waitForDist } from './build.mjs';
import { ROOT, runPart, startServerProcess } from './child.mjs';
import { render } from './report.mjs';

/** Each part: its file, and the Node flags it needs. In this order. */
const PARTS = {
  overhead: { file: 'overhead.mjs' },
  throughput: { file: 'throughput.mjs' },
  fetchRuntimes: { file: 'fetch-runtimes.mjs' },
  pagination: { file: 'pagination.mjs', nodeArgs: ['--expose-gc'] },
  coldStart: { file: 'cold-start.mjs' },
  types: { file: 'types.mjs' },
  size: { file: 'size.mjs' },
  redis: { file: 'redis-store.mjs' },
};

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuSpeedMHz: cpus[0]?.speed ?? null,
    cpus: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    loadBefore: os.loadavg(),
  };
}

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only ? values.only.split(',') : Object.keys(PARTS);
  const unknown = only.filter((p) => !(p in PARTS));
  if (unknown.length) throw new Error(`unknown part(s): ${unknown.join(', ')}; known: ${Object.keys(PARTS).join(', ')}`);

  const started = performance.now();
  const date = new Date().toISOString();
  const build = ensureBuild();
  const results = { date, quick: values.quick, machine: machine(), build, parts: {}, errors: {}, seconds: {} };

  const server = await startServerProcess();
  try {
    for (const name of only) {
      const { file, nodeArgs = [] } = PARTS[name];
      process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${name}...\n`);
      const t0 = performance.now();
      const env = { BENCH_URL: server.url, BENCH_QUICK: values.quick ? '1' : '0' };
      for (let attempt = 1; ; attempt++) {
        await waitForDist();
        const before = builtAt();
        try {
          results.parts[name] = await runPart(file, { nodeArgs, env });
          break;
        } catch (error) {
          // dist/ rebuilt under the part by other work in the tree: run it once more.
          if (attempt === 1 && builtAt() !== before) {
            process.stderr.write(`  dist/ changed during ${name}; running it again\n`);
            continue;
          }
          results.errors[name] = error.message.split('\n')[0];
          process.stderr.write(`  ${name} failed: ${error.message}\n`);
          break;
        }
      }
      results.seconds[name] = (performance.now() - t0) / 1000;
    }
  } finally {
    server.stop();
  }
  results.machine.loadAfter = os.loadavg();
  results.totalSeconds = (performance.now() - started) / 1000;

  const text = render(results);
  process.stdout.write(`\n${text}\nTotal ${results.totalSeconds.toFixed(0)} s (${Object.entries(results.seconds).map(([n, s]) => `${n} ${s.toFixed(0)} s`).join(', ')}${build.built ? `, build ${(build.ms / 1000).toFixed(0)} s` : ''}).\n`);

  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify({ ...results, table: text }, null, 2)}\n`;
  const dated = `${date.replace(/[:.]/g, '-')}${values.quick || values.only ? '-partial' : ''}.json`;
  writeFileSync(join(dir, dated), json);
  // latest.json is the last full run: a quick or partial one does not replace it.
  if (!values.quick && !values.only) writeFileSync(join(dir, 'latest.json'), json);
  process.stdout.write(`Results: bench-results/${values.quick || values.only ? dated : 'latest.json'}\n`);
  if (Object.keys(results.errors).length) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
