#!/usr/bin/env node
// Where the SDK's per-call time goes (not part of `npm run bench`):
//   node scripts/bench/profile.mjs [get|post] [calls]
// Runs the overhead loop with `node --cpu-prof` twice, once with plain fetch only and once with
// the SDK only, the same number of calls, then prints per call: time by owner (SDK code in
// dist/, mapped back to its src/ file; openapi-fetch; undici, Node's fetch; the rest of Node;
// GC), the functions whose self time grows most, the SDK's and openapi-fetch's own hot spots,
// and the Node and undici work charged to the SDK function that called it (e.g. a `new Request`
// in attemptOnce).
// Profiles are kept in bench-results/profile/ for Chrome DevTools or speedscope.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuild, waitForDist } from './build.mjs';
import { ROOT, runPart, SDK_ENTRY, startServerProcess } from './child.mjs';
import { fmt, table } from './stats.mjs';

const op = process.argv[2] ?? 'get';
const calls = Number(process.argv[3] ?? 4000);
const ROUNDS = 3;
const WARMUP = 1000;
const OUT = join(ROOT, 'bench-results', 'profile');

/** dist/index.js keeps esbuild's `// src/file.ts` markers: a line maps to the last one above it. */
function sourceMapper() {
  const lines = readFileSync(SDK_ENTRY, 'utf8').split('\n');
  const marks = [];
  lines.forEach((line, i) => {
    const m = /^\/\/ ((?:src|generated)\/\S+)$/.exec(line);
    if (m) marks.push([i, m[1]]);
  });
  return (line) => marks.findLast(([at]) => at <= line)?.[1] ?? 'dist/index.js';
}

function owner(url, fn, line, toSrc) {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)' || fn === '(program)' || fn === '(root)') return fn.slice(1, -1);
  if (url.includes('node_modules/openapi-fetch')) return 'openapi-fetch';
  if (url.includes('/dist/index.js')) return `sdk ${toSrc(line)}`;
  if (url.includes('/dist/')) return 'sdk dist/other';
  if (url.includes('undici')) return 'undici (fetch)';
  if (url.includes('/scripts/bench/')) return 'bench loop';
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

function summarize(file, toSrc) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = owner(url, functionName || '(anonymous)', lineNumber, toSrc);
    return { id: `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`, where };
  };
  const self = new Map();
  const owners = new Map();
  const calledFrom = new Map();
  const ours = /^(sdk|openapi-fetch|bench loop)/;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    const k = key(node);
    self.set(k.id, (self.get(k.id) ?? 0) + dt);
    owners.set(k.where, (owners.get(k.where) ?? 0) + dt);
    // Node and undici work, charged to the nearest SDK or openapi-fetch function above it.
    if (ours.test(k.where)) return;
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const a = key(byId.get(at));
      if (ours.test(a.where)) {
        calledFrom.set(a.id, (calledFrom.get(a.id) ?? 0) + dt);
        break;
      }
    }
  });
  return { self, owners, calledFrom };
}

// Every call the profiled process made: warm-up, the rounds, and verify()'s one call per contender.
const perCall = (us) => us / (WARMUP + calls * ROUNDS);
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

async function profileOne(server, name, toSrc) {
  const dir = join(OUT, `${op}-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await runPart('overhead.mjs', {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'],
    env: { BENCH_URL: server.url, BENCH_ONLY: name, BENCH_OPS: op, BENCH_CALLS: String(calls), BENCH_ROUNDS: String(ROUNDS), BENCH_WARMUP: String(WARMUP) },
  });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return summarize(join(dir, file), toSrc);
}

ensureBuild();
await waitForDist();
const server = await startServerProcess();
try {
  const runs = {};
  const toSrc = sourceMapper(); // read before the runs: the dist/ they load
  for (const name of ['fetch', 'sdk']) runs[name] = await profileOne(server, name, toSrc);
  const owners = new Set([...runs.fetch.owners.keys(), ...runs.sdk.owners.keys()]);
  const rows = [...owners]
    .map((o) => [o, perCall(runs.fetch.owners.get(o) ?? 0), perCall(runs.sdk.owners.get(o) ?? 0)])
    .filter(([o]) => o !== 'idle')
    .sort((a, b) => b[2] - b[1] - (a[2] - a[1]));
  console.log(`\nCPU per ${op.toUpperCase()} call by owner (self time, µs/call), fetch-only run vs SDK-only run:\n`);
  console.log(table(['owner', 'fetch', 'sdk', 'sdk - fetch'], rows.map(([o, f, s]) => [o, fmt.us(f), fmt.us(s), fmt.us(s - f)])));
  const grown = [...new Set([...runs.fetch.self.keys(), ...runs.sdk.self.keys()])]
    .map((k) => [k, perCall(runs.fetch.self.get(k) ?? 0), perCall(runs.sdk.self.get(k) ?? 0)])
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[2] - b[1] - (a[2] - a[1]))
    .slice(0, 30);
  console.log(`\nFunctions whose self time grows most from the fetch run to the SDK run (µs/call):\n`);
  console.log(table(['function  owner:line', 'fetch', 'sdk', 'sdk - fetch'], grown.map(([k, f, v]) => [k, fmt.us(f), fmt.us(v), fmt.us(v - f)])));
  const ours = new Map([...runs.sdk.self].filter(([k]) => / (sdk|openapi-fetch)/.test(k)));
  console.log(`\nSelf time of the SDK's own code and openapi-fetch (µs/call):\n`);
  console.log(table(['function  owner:line', 'self'], top(ours, 20).map(([k, v]) => [k, fmt.us(perCall(v))])));
  console.log(`\nNode and undici time (GC excluded) by the SDK or openapi-fetch function that called it, µs/call:\n`);
  console.log(table(['called from  owner:line', 'node + undici'], top(runs.sdk.calledFrom, 16).map(([k, v]) => [k, fmt.us(perCall(v))])));
  const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
  console.log(`\nIn all: ${fmt.us(perCall(sum(runs.sdk.calledFrom)))} per call in the SDK run, ${fmt.us(perCall(sum(runs.fetch.calledFrom)))} in the fetch run (called from the bench's fetch contender).`);
  console.log(`\nProfiles: ${OUT}`);
} finally {
  server.stop();
}
