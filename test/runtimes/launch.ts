// How each runtime is started on the bundles of build.ts. Every binary comes from an npm package
// in devDependencies (bun, deno, workerd), from the `node` package installed beside them
// (node24.ts), or from Debian (chromium); nothing is downloaded here. Each launcher resolves with
// the program's report, and stops what it started by its process id.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { root } from './build.js';

export type Report = Record<string, unknown>;

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Runs `command args...`; resolves with stdout's last line parsed as JSON. */
function runScript(command: string, args: string[], env: Record<string, string> = {}, timeout = 30_000): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      // A clean environment: nothing of the outer run leaks in (Deno could not read it anyway).
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Report);
      } catch {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${err.slice(-3000)}\n${out.slice(-3000)}`));
      }
    });
  });
}

export const runNode = (node: string, bundles: string, api: string, mock: string) => runScript(node, [join(bundles, 'node-main.js'), api, mock]);

export const runBun = (bundles: string, api: string, mock: string) => runScript(bin('bun'), [join(bundles, 'main.js'), api, mock], { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' });

/** Deno 2 with its default permissions plus network access: no --allow-env, no --allow-read. */
export const runDeno = (bundles: string, api: string, mock: string, denoDir: string) =>
  runScript(bin('deno'), ['run', '--allow-net', '--no-prompt', '--no-config', '--no-lock', join(bundles, 'main.js'), api, mock], {
    DENO_DIR: denoDir,
    DENO_NO_UPDATE_CHECK: '1',
  });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Cloudflare's workerd serving worker.js on a free port. Its outbound network is opened to
 * loopback (the test's server) explicitly: a deployed worker reaches public hosts only.
 */
export async function runWorkerd(bundles: string, api: string, mock: string): Promise<Report> {
  const port = await freePort();
  const config = join(bundles, 'workerd.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .matrixWorker),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const matrixWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-01-01",
  globalOutbound = "net",
);
`,
  );
  const child = spawn(bin('workerd'), ['serve', config], { cwd: bundles, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  child.stdout.on('data', (d: Buffer) => (err += d));
  try {
    await waitForPort(port, Date.now() + 20_000).catch((e: unknown) => {
      throw new Error(`workerd did not start: ${String(e)}\n${err.slice(-3000)}`);
    });
    const response = await fetch(`http://127.0.0.1:${port}/?api=${encodeURIComponent(api)}&mock=${encodeURIComponent(mock)}`, { signal: AbortSignal.timeout(20_000) });
    return (await response.json()) as Report;
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As in test/package/docs.test.ts: without the background-networking flags Chromium calls out at start-up.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's headless Chromium, with nothing of its own on the network. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (Debian's package; .ci/run installs it).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Headless Chromium on a page of the test's server (same origin as the API), importing browser.js from it. */
export async function runChromium(pageUrl: string, moduleUrl: string, api: string, mock: string): Promise<Report> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    // A string, not a function: the test runner rewrites `import()` inside functions it compiles.
    const script = `import(${JSON.stringify(moduleUrl)}).then((program) => program.run(${JSON.stringify(api)}, ${JSON.stringify(mock)})).catch((error) => ({ failed: String(error && error.stack || error) }))`;
    return (await page.evaluate(script)) as Report;
  } finally {
    await browser.close();
  }
}
