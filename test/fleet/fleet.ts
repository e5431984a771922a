// Starts N worker processes and drives them together. The worker is bundled once (esbuild,
// about 0.2 s) so that each process is plain `node` on one small file: 8 processes start in a
// fraction of what a TypeScript loader would cost each of them on a busy 2-core machine.
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Under node_modules so that `redis` (left out of the bundle) resolves from the repo's install.
const WORKER = `${ROOT}node_modules/.cache/coveton-fleet/worker-${process.pid}.mjs`;
let built: Promise<unknown> | undefined;

function bundle() {
  built ??= build({
    entryPoints: [`${ROOT}test/fleet/worker.ts`],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['redis'],
    logLevel: 'error',
  });
  return built;
}

export interface Reply {
  outcomes: string[];
  ms: number;
  warnings: string[];
}

export interface Worker {
  id: number;
  child: ChildProcess;
  /** Resolves when the worker reaches its scripted crash point (set anew by each `configure`). */
  crashPoint: Promise<void>;
  kill(): void;
}

export interface Fleet {
  workers: Worker[];
  /** Replaces dead workers, then gives every worker a new client built from `config(id)`. */
  configure(config: (id: number) => Record<string, unknown>): Promise<void>;
  /** Every live worker fires `batch` concurrent calls; resolves with each worker's reply (undefined if it died). */
  run(batch: number, call: 'me' | 'create' | 'get', keyPrefix?: string): Promise<(Reply | undefined)[]>;
  /** Between requests: each worker's listeners (IDLE_LISTENERS), and the listener warnings seen since the start. */
  leftovers(): { listeners: { message: number; exit: number }[]; warnings: string[] };
  close(): Promise<void>;
}

const alive = (w: Worker) => w.child.exitCode === null && w.child.signalCode === null;

/**
 * Waits for the first message `accept` takes (a value, or an Error to reject with), or for the
 * worker's exit, then drops both listeners. One left on the child per request (an `exit` one
 * never fires while the worker lives) piled up past Node's limit of 10 per event, and every run
 * printed MaxListenersExceededWarning.
 */
function until<T>(
  child: ChildProcess,
  accept: (m: Record<string, unknown>) => T | Error | undefined,
  onExit: (code: number | null) => T | Error | undefined,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (value: T | Error | undefined) => {
      child.off('message', onMessage).off('exit', exited);
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onMessage = (m: Record<string, unknown>) => {
      const value = accept(m);
      if (value !== undefined) settle(value);
    };
    const exited = (code: number | null) => settle(onExit(code));
    child.on('message', onMessage).on('exit', exited);
  });
}

function request<T>(w: Worker, message: unknown, accept: (m: Record<string, unknown>) => T | undefined): Promise<T | undefined> {
  if (!alive(w)) return Promise.resolve(undefined);
  const reply = until(w.child, accept, () => undefined);
  w.child.send(message as object);
  return reply;
}

async function spawnWorker(id: number): Promise<Worker> {
  const child = fork(WORKER, [], { env: { ...process.env, FLEET_WORKER: String(id) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const worker: Worker = { id, child, crashPoint: new Promise(() => {}), kill: () => alive(worker) && process.kill(child.pid!, 'SIGKILL') };
  // One listener for the crash point, whichever `configure` set it.
  child.on('message', (m: { crashPoint?: boolean }) => m.crashPoint && crashed.get(worker)?.());
  await until<true>(
    child,
    (m) => (m.ready ? true : m.fatal ? new Error(String(m.fatal)) : undefined),
    (code) => new Error(`worker ${id} exited with ${code}`),
  );
  return worker;
}

/** What resolves each worker's current `crashPoint`. */
const crashed = new WeakMap<Worker, () => void>();

/** The listeners a worker's process holds between requests: the crash-point one, nothing else. */
export const IDLE_LISTENERS = { message: 1, exit: 0 };

export async function startFleet(size: number): Promise<Fleet> {
  await bundle();
  const warnings: string[] = [];
  const onWarning = (warning: Error) => void (warning.name === 'MaxListenersExceededWarning' && warnings.push(warning.message));
  process.on('warning', onWarning);
  const workers = await Promise.all(Array.from({ length: size }, (_, id) => spawnWorker(id)));
  return {
    workers,
    leftovers: () => ({ listeners: workers.map(({ child }) => ({ message: child.listenerCount('message'), exit: child.listenerCount('exit') })), warnings }),
    async configure(config) {
      await Promise.all(
        workers.map(async (w, i) => {
          if (!alive(w)) workers[i] = w = await spawnWorker(w.id);
          const worker = w;
          worker.crashPoint = new Promise<void>((resolve) => crashed.set(worker, resolve));
          await request(worker, { configure: config(worker.id) }, (m) => (m.configured ? true : undefined));
        }),
      );
    },
    run(batch, call, keyPrefix) {
      return Promise.all(workers.map((w) => request<Reply>(w, { batch, call, keyPrefix }, (m) => (m.outcomes ? (m as unknown as Reply) : undefined))));
    },
    async close() {
      await Promise.all(
        workers.filter(alive).map(async (w) => {
          const exited = new Promise((resolve) => w.child.once('exit', resolve));
          w.child.send({ exit: true });
          const timer = setTimeout(() => w.kill(), 2_000);
          await exited;
          clearTimeout(timer);
        }),
      );
      rmSync(WORKER, { force: true });
      built = undefined;
      process.off('warning', onWarning);
    },
  };
}

/** Counts outcomes by name across replies. */
export function tally(replies: (Reply | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of replies) for (const o of r?.outcomes ?? []) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}
