// How long `coveton` takes to start, against a bare `node -e 0` on the same machine: the median
// of N interleaved runs of each (default 21), so that the load of the moment hits all alike.
// Needs the build (`npm run build`). Usage: node scripts/cli-cold-start.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
if (!existsSync(bin)) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first');
  process.exit(1);
}
const runs = Number(process.argv[2] ?? 21);
const cases = {
  'node -e 0': ['-e', '0'],
  'coveton --version': [bin, '--version'],
  'coveton api-keys list --help': [bin, 'api-keys', 'list', '--help'],
};
const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const floor = median(times['node -e 0']);
console.log(`median of ${runs} runs, Node ${process.versions.node}`);
for (const [name, values] of Object.entries(times)) {
  const m = median(values);
  const extra = name === 'node -e 0' ? '' : `  (+${(m - floor).toFixed(0)} ms over node, ${(m / floor).toFixed(2)}x)`;
  console.log(`  ${name.padEnd(30)} ${m.toFixed(0).padStart(5)} ms${extra}`);
}
