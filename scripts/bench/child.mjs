// Processes of the bench: the server child, and each part run in a fresh Node process so that
// one part's heap and JIT state do not colour the next. A part prints its result as one JSON
// line, last on stdout; anything before that line is passed through as progress.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '..', '..');
export const SDK_ENTRY = join(ROOT, 'dist', 'index.js');
/** Not a real secret: the shape of a test key, so that redaction paths run as in real use. */
export const API_KEY = 'ak_test_benchBENCHbench0123456789';

export function isMain(meta) {
  return meta.url === pathToFileURL(process.argv[1] ?? '').href;
}

/** Starts server.mjs in its own process; resolves to { url, stop }. */
export function startServerProcess() {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { port } = JSON.parse(line);
      resolvePromise({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid,
        stop: () => {
          child.stdin.end();
          child.kill();
        },
      });
    });
  });
}

/** Runs `file` (a part) in a child Node process; resolves to the JSON it printed last. */
export function runPart(file, { nodeArgs = [], env = {}, echo = true } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, join(BENCH_DIR, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let last = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) last = line;
    else if (echo) process.stderr.write(`  ${line}\n`);
  });
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with code ${code}`));
      try {
        resolvePromise(JSON.parse(last));
      } catch {
        reject(new Error(`${file} printed no JSON result`));
      }
    });
  });
}

/**
 * The child side: runs `run` when this module is the entry point and prints its result. Run
 * alone (no BENCH_URL), it starts its own server first.
 */
export async function asPart(meta, run) {
  if (!isMain(meta)) return;
  const server = process.env.BENCH_URL ? undefined : await startServerProcess();
  const result = await run({ url: process.env.BENCH_URL ?? server.url, quick: process.env.BENCH_QUICK === '1' });
  server?.stop();
  // Keep-alive sockets would hold the process open for seconds: leave once the line is out.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}
