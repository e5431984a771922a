// Two ways to run `coveton`:
// - in process (runProgram): the program (src/cli/program.ts) with fake streams, a pipe or a
//   terminal of any width, and its own environment. Fast: most behaviour is tested this way.
// - as a child process (runCli, startCli): the built bin, for what only a process shows (exit
//   codes from the bin, signals, broken pipes, memory, the shebang). The bin is built once per
//   test file with the repo's own tsup settings into a temporary package directory laid out as
//   installed (dist/cli/ beside generated/ and node_modules/). COVETON_TEST_TSX=1 runs the
//   TypeScript sources through tsx instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';
import { beforeAll } from 'vitest';
import { run } from '../../src/cli/program.js';
import config from '../../tsup.config.js';
import { apiKeyRecord, TEST_KEY } from '../support/client.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export { TEST_KEY };

const TSX = ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts')];
let argvPrefix: string[] = TSX;

/** The node arguments that start the CLI: the built bin, or the sources through tsx. */
export function cliArgs(): string[] {
  return argvPrefix;
}

/**
 * Builds the package's ESM code from the repo's tsup config into `dir`/dist: the CLI (dist/cli/)
 * and the builds it imports (dist/index.js, dist/mock.js), without type declarations (about two
 * seconds). Returns the bin's path.
 */
export async function buildCli(dir: string): Promise<string> {
  const { build } = await import('tsup');
  for (const entry of config as Options[]) {
    const outDir = join(dir, entry.outDir ?? 'dist');
    await build({ ...entry, format: ['esm'], dts: false, outDir, clean: false, silent: true, config: false });
  }
  return join(dir, 'dist', 'cli', 'bin.js');
}

/** A digest of what the bundle is made of: the sources, the generated code and the build settings. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'generated'));
  for (const file of ['tsup.config.ts', 'package.json']) {
    if (existsSync(join(ROOT, file))) hash.update(readFileSync(join(ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

const PREFIX = 'coveton-cli-build-';

/**
 * The bin built from the current sources, shared by every test file of a run (and the next run
 * while nothing changed): the first file to get here builds it into a directory named after the
 * sources' digest, the others wait for it. Older builds are removed.
 */
export async function sharedBuild(): Promise<string> {
  const dir = join(tmpdir(), `${PREFIX}${sourceDigest()}`);
  const bin = join(dir, 'dist', 'cli', 'bin.js');
  const done = join(dir, 'done');
  const owner = join(dir, 'pid');
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (;;) {
    try {
      mkdirSync(dir); // atomic: only one file of the run builds
      writeFileSync(owner, String(process.pid));
      break;
    } catch {
      for (let waited = 0; !existsSync(done); waited += 100) {
        // A builder that died (or a build left half done by an earlier run): start again.
        const pid = existsSync(owner) ? Number(readFileSync(owner, 'utf8')) : 0;
        if (waited > 60_000 || (pid > 0 && !alive(pid)) || (pid === 0 && waited > 2_000)) {
          rmSync(dir, { recursive: true, force: true });
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      if (existsSync(done)) return bin;
    }
  }
  // Builds of other sources are removed once stale: a fresh one may belong to a run of another
  // checkout that is using it right now.
  for (const old of readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX) && join(tmpdir(), name) !== dir)) {
    const path = join(tmpdir(), old);
    if (Date.now() - statSync(path).mtimeMs > 30 * 60_000) rmSync(path, { recursive: true, force: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'generated'), join(dir, 'generated'));
  await buildCli(dir);
  writeFileSync(done, '');
  return bin;
}

/** Call at the top of a test file: its tests run the bin built from the current sources. */
export function useBuiltCli(): void {
  if (process.env.COVETON_TEST_TSX === '1') return;
  beforeAll(async () => {
    argvPrefix = [await sharedBuild()];
  }, 90_000);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('COVETON_') && !['CI', 'NODE_OPTIONS', 'NO_COLOR', 'FORCE_COLOR'].includes(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Starts the CLI and leaves it running (for `mock`); the caller stops it. */
export function startCli(args: string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [...cliArgs(), ...args], { cwd: ROOT, env: cliEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the CLI to the end; stdin is closed at once (or after `input`), so it is never a TTY. */
export function runCli(args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin!.end(options.input ?? '');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coveton ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A stream that keeps what is written, shaped like a terminal (`columns`) or like a pipe. */
class Captured extends Writable {
  text = '';
  isTTY: boolean | undefined;
  columns: number | undefined;
  constructor(tty: boolean, columns?: number) {
    super({ decodeStrings: false });
    if (tty) {
      this.isTTY = true;
      this.columns = columns ?? 80;
    }
  }
  override _write(chunk: string | Buffer, _encoding: string, done: () => void): void {
    this.text += String(chunk);
    done();
  }
  hasColors(): boolean {
    return true;
  }
}

export interface ProgramOptions {
  env?: Record<string, string | undefined>;
  /** stdout is a terminal this wide (default: a pipe). */
  columns?: number;
  /** stderr is a terminal (spinners and prompts need one). */
  stderrTty?: boolean;
}

/** Runs the program in this process with fake streams; stdin is an empty pipe. */
export async function runProgram(args: string[], options: ProgramOptions = {}): Promise<Run> {
  const stdout = new Captured(options.columns !== undefined, options.columns);
  const stderr = new Captured(Boolean(options.stderrTty));
  const stdin = new PassThrough();
  stdin.end();
  const env: Record<string, string | undefined> = { TERM: 'xterm-256color', ...options.env };
  const code = await run(args, { stdout, stderr, stdin, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Resolves with the first stdout line of a running CLI (e.g. the mock's URL). */
export function firstLine(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (errors += d));
    const timer = setTimeout(() => reject(new Error(`no output in time; stderr: ${errors}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      const end = buffer.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, end));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing; stderr: ${errors}`));
    });
  });
}

/** Whether something listens on 127.0.0.1:port. */
export async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds, polling. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** An API key record as the API returns it. */
export function apiKey(id: string, overrides: Record<string, unknown> = {}) {
  return { ...apiKeyRecord, id, name: `Key ${id}`, permissions: ['messages:read'], ...overrides };
}

/** A closed port: bound once, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The text without colour codes. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
