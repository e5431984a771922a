// The bench measures the built package (dist/, what users run). It builds it with tsup when it
// is missing or older than src/ and generated/, and, since other work in the same tree may
// rebuild dist/ (tsup cleans it first) while the bench runs, waits for a complete build
// before each part and tells whether dist/ changed under a part.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './child.mjs';

const OUTPUTS = ['index.js', 'index.d.ts', 'webhooks.js', 'redis.js'].map((f) => join(ROOT, 'dist', f));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The oldest output's mtime, or 0 when one is missing. */
export function builtAt() {
  try {
    return Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
  } catch {
    return 0;
  }
}

/** Builds dist/ with tsup unless every output is there and newer than src/ and generated/. */
export function ensureBuild() {
  const built = builtAt();
  const source = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'generated')));
  if (built > source) return { built: false };
  process.stderr.write(`dist/ is ${built ? 'older than src/' : 'missing'}: building with tsup...\n`);
  const t0 = performance.now();
  const run = spawnSync('npx', ['tsup'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (run.status !== 0) throw new Error(`npx tsup failed:\n${run.stdout}\n${run.stderr}`);
  return { built: true, ms: performance.now() - t0 };
}

/** Resolves once dist/ is complete and has not changed for 3 s (someone else may be building it). */
export async function waitForDist(timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const complete = OUTPUTS.every(existsSync);
    const quiet = complete && Date.now() - statSync(join(ROOT, 'dist')).mtimeMs > 3000 && Date.now() - builtAt() > 3000;
    if (quiet) return;
    if (Date.now() > until) throw new Error('dist/ stayed incomplete: is a build failing?');
    await sleep(500);
  }
}
