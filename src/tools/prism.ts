// Starts Stoplight Prism (an optional peer dependency) as a mock or a validating proxy, on
// 127.0.0.1, and makes sure it never outlives `coveton`: Prism runs under a small watchdog
// process that stops it as soon as our process is gone, however it ended. The test suite and
// `npm start` start their mock through here too.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { CommandFailure, UsageError } from './failures.js';
import { EXIT } from './exit-codes.js';

export const PRISM_VERSION = '5.12.0';
export const INSTALL_PRISM = `npm install -D @stoplight/prism-cli@${PRISM_VERSION}`;

const require = createRequire(import.meta.url);

/** Prism's entry script and version, or a usage error that says how to install it. */
export function resolvePrism(): { entry: string; version: string } {
  let pkgPath: string;
  try {
    pkgPath = require.resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new UsageError(
      `Stoplight Prism is not installed, and \`coveton mock\` and \`coveton contract\` run on it. Install it next to @coveton/sdk: ${INSTALL_PRISM}`,
    );
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; bin?: Record<string, string> };
  return { entry: join(dirname(pkgPath), pkg.bin?.prism ?? 'dist/index.js'), version: pkg.version };
}

// The watchdog (CommonJS, run with `node -e`): argv = parentPid maxMs command args...
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [parentArg, maxArg, command, ...args] = process.argv.slice(1);
const parent = Number(parentArg);
const child = spawn(command, args, { stdio: 'inherit' });
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  setTimeout(() => { try { child.kill('SIGKILL'); } catch {} process.exit(0); }, 3000).unref();
}
setInterval(() => {
  let alive = process.ppid === parent;
  try { process.kill(parent, 0); } catch { alive = false; }
  if (!alive) stop();
}, 300);
if (Number(maxArg) > 0) setTimeout(stop, Number(maxArg)).unref();
child.on('exit', (code) => process.exit(code ?? 0));
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, stop);
`;

export interface PrismOptions {
  mode: 'mock' | 'proxy';
  spec: string;
  port: number;
  /** Proxy mode: the server to forward to. */
  upstream?: string;
  errors?: boolean;
  dynamic?: boolean;
  /** Where Prism's own log goes: our stderr, or nowhere. */
  log: 'stderr' | 'ignore';
  /** Stop Prism after this long whatever happens; 0 for never (the parent check still applies). */
  maxLifetimeMs: number;
}

export interface RunningPrism {
  url: string;
  port: number;
  version: string;
  /** Resolves once Prism has exited. */
  stop(): Promise<void>;
  /** Resolves if Prism exits by itself, with its exit code. */
  exited: Promise<number | null>;
}

/** A free port on 127.0.0.1, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with a usage error when something already listens on the port (of `host`). */
export function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on ${host} is already in use: stop what runs there or pick another with --port`)
          : new UsageError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startPrism(options: PrismOptions): Promise<RunningPrism> {
  const prism = resolvePrism();
  const args = options.mode === 'proxy' ? ['proxy', options.spec, options.upstream ?? ''] : ['mock', options.spec];
  args.push('-h', '127.0.0.1', '-p', String(options.port));
  if (options.errors) args.push('--errors');
  if (options.dynamic) args.push('--dynamic');
  const out = options.log === 'stderr' ? 2 : 'ignore';
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', WATCHDOG, String(process.pid), String(options.maxLifetimeMs), process.execPath, prism.entry, ...args],
    { stdio: ['ignore', out, out] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async () => {
    if (!gone) child.kill('SIGTERM');
    await exited;
  };
  const started = Date.now();
  while (!(await answers(options.port))) {
    if (gone) throw new CommandFailure(`Prism ${prism.version} exited before it listened on 127.0.0.1:${options.port}`, EXIT.INTERNAL);
    if (Date.now() - started > 30_000) {
      await stop();
      throw new CommandFailure(`Prism did not listen on 127.0.0.1:${options.port} within 30 s`, EXIT.INTERNAL);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${options.port}`, port: options.port, version: prism.version, stop, exited };
}

/**
 * A validating mock of the bundled spec on `port` (a free one if not given), quiet, for
 * `npm start` and the test suite; it stops with its parent, or after `maxLifetimeMs`.
 */
export async function startBundledMock(specPath: string, maxLifetimeMs: number, port?: number): Promise<RunningPrism> {
  return startPrism({ mode: 'mock', spec: specPath, port: port ?? (await freePort()), errors: true, log: 'ignore', maxLifetimeMs });
}
