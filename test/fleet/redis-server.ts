// A real redis-server (Debian's package) for the fleet tests: on a free port on 127.0.0.1,
// persistence off, stopped by its process id. `restart` brings it back on the same port; with
// `keep`, what it held is saved first and loaded again (a Redis with persistence, restarted).
// `redisFixture` gives a test file one, with a client, for all its tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';

export interface RedisServer {
  url: string;
  port: number;
  pid(): number;
  /** Sends one command in the inline protocol, returns the raw reply. */
  command(...args: string[]): Promise<string>;
  stop(options?: { keep?: boolean }): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function send(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) socket.end(), resolve(reply);
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'coveton-redis-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await send(port, ['PING'])).startsWith('+PONG')) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (options: { keep?: boolean } = {}) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    if (options.keep) await send(port, ['SAVE']);
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid!, 'SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child!.pid!,
    command: (...args) => send(port, args),
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const connect = (url: string) => createClient({ url }).connect();
export type RedisClient = Awaited<ReturnType<typeof connect>>;

/** A redis-server started before the file's tests and stopped after them, a client on it, and `connect()` for another one. */
export function redisFixture(): { readonly redis: RedisServer; readonly client: RedisClient; connect(): Promise<RedisClient> } {
  let redis: RedisServer | undefined;
  let client: RedisClient | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    client = await connect(redis.url);
  });
  afterAll(async () => {
    await client?.close();
    await redis?.close();
  });
  return {
    get redis() {
      return redis!;
    },
    get client() {
      return client!;
    },
    connect: () => connect(redis!.url),
  };
}
