// The built docs site, shared by the docs tests: built once per set of inputs (the spec, the SDK
// table, the guides, the site config and the generator) into test-output/docs-site/<hash>/, so
// that the test files of one run, and later runs with nothing changed, reuse one build. A lock
// directory keeps two test files from building at the same time.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const outputDir = join(root, 'test-output');
const cacheDir = join(outputDir, 'docs-site');

const INPUT_FILES = ['generated/openapi.json', 'generated/resources.ts', 'CHANGELOG.md', 'package-lock.json', 'scripts/docs.mjs'];
const INPUT_DIRS = ['docs', 'scripts/docs'];
const SKIP = new Set(['reference', 'dist', 'cache', 'public', 'node_modules']);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP.has(name)) walk(path, out);
    } else out.push(path);
  }
}

/** A hash of every file the site is built from. */
export function inputHash(): string {
  const files = INPUT_FILES.map((f) => join(root, f));
  for (const dir of INPUT_DIRS) walk(join(root, dir), files);
  const hash = createHash('sha256');
  for (const file of files.sort()) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface BuiltSite {
  dir: string;
  /** How long the build took, wall clock and CPU (a cached build reports its own figures). */
  buildMs: number;
  buildCpuMs: number;
  cached: boolean;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function builtSite(): Promise<BuiltSite> {
  const hash = inputHash();
  const dir = join(cacheDir, hash);
  const meta = join(dir, 'build.json');
  const lock = join(cacheDir, `${hash}.lock`);
  mkdirSync(cacheDir, { recursive: true });
  for (let waited = 0; ; waited += 250) {
    if (existsSync(meta)) {
      const { ms, cpuMs } = JSON.parse(readFileSync(meta, 'utf8'));
      return { dir, buildMs: ms, buildCpuMs: cpuMs, cached: true };
    }
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building it: wait (a stale lock from a killed run expires).
      if (waited > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    // Older builds go: one cached site is enough.
    for (const name of readdirSync(cacheDir)) if (name !== hash && !name.endsWith('.lock')) rmSync(join(cacheDir, name), { recursive: true, force: true });
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'scripts', 'docs.mjs'), '--out', dir, '--json'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const ms = Date.now() - started;
    const { cpuMs } = JSON.parse(stdout.trim().split('\n').pop()!);
    writeFileSync(meta, JSON.stringify({ ms, cpuMs }));
    return { dir, buildMs: ms, buildCpuMs: cpuMs, cached: false };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
