// Type cost: `tsc --noEmit` wall time of a small consumer making twenty typed SDK calls
// (fixtures/typed.ts, against the built types in dist/, as a user compiles it) and of the same
// program written with plain fetch (fixtures/plain.ts). Each is compiled RUNS times, alternating;
// the figures are medians. `--extendedDiagnostics` also gives tsc's own check time and the
// number of types it created.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asPart, BENCH_DIR, ROOT } from './child.mjs';
import { median } from './stats.mjs';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** A consumer's settings, with the package name mapped to the built types. */
function writeConfig(dir, file) {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
      paths: { '@coveton/sdk': [join(ROOT, 'dist', 'index.d.ts')] },
    },
    files: [join(BENCH_DIR, 'fixtures', file)],
  };
  const path = join(dir, `tsconfig.${file}.json`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

function tsc(project) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [TSC, '-p', project, '--extendedDiagnostics'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`tsc failed on ${project}:\n${out.slice(0, 2000)}`));
      const figure = (name) => Number(out.match(new RegExp(`^${name}:\\s+([\\d.]+)`, 'm'))?.[1]);
      resolve({ wallMs, checkMs: figure('Check time') * 1000, totalMs: figure('Total time') * 1000, types: figure('Types') });
    });
  });
}

export async function run({ quick }) {
  const runs = Number(process.env.BENCH_TSC_RUNS ?? (quick ? 1 : 3));
  const dir = mkdtempSync(join(tmpdir(), 'coveton-bench-types-'));
  try {
    const projects = { plain: writeConfig(dir, 'plain.ts'), typed: writeConfig(dir, 'typed.ts') };
    const samples = { plain: [], typed: [] };
    for (let i = 0; i < runs; i++) {
      for (const name of i % 2 ? ['typed', 'plain'] : ['plain', 'typed']) samples[name].push(await tsc(projects[name]));
    }
    const rows = {};
    for (const name of Object.keys(samples)) {
      const pick = (key) => median(samples[name].map((s) => s[key]));
      rows[name] = { wallMs: pick('wallMs'), checkMs: pick('checkMs'), totalMs: pick('totalMs'), types: pick('types'), samples: samples[name] };
    }
    const extraMs = rows.typed.wallMs - rows.plain.wallMs;
    console.log(`types: plain ${rows.plain.wallMs.toFixed(0)} ms, typed ${rows.typed.wallMs.toFixed(0)} ms (+${extraMs.toFixed(0)} ms)`);
    return { runs, calls: 20, rows, extraMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await asPart(import.meta, run);
