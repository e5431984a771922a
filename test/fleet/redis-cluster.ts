// A real Redis Cluster for the store tests: six Debian redis-server processes on free ports of
// 127.0.0.1 (three masters, each with a replica, joined by `redis-cli --cluster create`),
// persistence off, a short node timeout so that a failover takes a second or two. Each node is
// stopped by its process id.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  child: ChildProcess;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** `redis://127.0.0.1:<port>` of every node, for `createCluster({ rootNodes })`. */
  urls: string[];
  /** The node that masters `key`'s slot now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** SIGKILLs a node and waits until a replica has taken over its slots. */
  failover(node: ClusterNode): Promise<void>;
  close(): Promise<void>;
}

const listens = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || !(await listens(port)) || !(await listens(port + 10_000))) continue;
    taken.add(port);
    return port;
  }
}

const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`redis cluster: ${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'coveton-cluster-'));
  const taken = new Set<number>();
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < 6; i++) {
    const port = await freePort(taken);
    const home = join(dir, String(port));
    mkdirSync(home);
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000', '--repl-diskless-sync-delay', '0', '--save', '', '--appendonly', 'no', '--dir', home],
      { stdio: 'ignore' },
    );
    nodes.push({ port, child });
  }
  const close = async () => {
    await Promise.all(
      nodes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map(({ port }) => until(`node ${port} answering`, async () => (await cli(port, 'PING')).trim() === 'PONG')));
    await run('redis-cli', ['--cluster', 'create', ...nodes.map(({ port }) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes']);
    await Promise.all(nodes.map(({ port }) => until(`node ${port} in a healthy cluster`, async () => (await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'))));
    // A replica that has not synced yet would never take over: wait for each one's link.
    await Promise.all(
      nodes.map(({ port }) =>
        until(`node ${port} synced`, async () => {
          const info = await cli(port, 'INFO', 'replication');
          return info.includes('role:master') || info.includes('master_link_status:up');
        }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }

  const alive = () => nodes.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  /** `CLUSTER NODES` as seen by a live node: port, flags and slot ranges of each node. */
  const layout = async () => {
    const text = await cli(alive()[0]!.port, 'CLUSTER', 'NODES');
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [, address, flags, , , , , , ...slots] = line.split(' ');
        return { port: Number(address!.split(':')[1]!.split('@')[0]), flags: flags!.split(','), slots };
      });
  };
  const owns = (slots: string[], slot: number) =>
    slots.some((range) => {
      const [from, to = from] = range.split('-').map(Number);
      return slot >= from! && slot <= to!;
    });

  return {
    nodes,
    urls: nodes.map(({ port }) => `redis://127.0.0.1:${port}`),
    async masterOf(key) {
      const slot = Number(await cli(alive()[0]!.port, 'CLUSTER', 'KEYSLOT', key));
      const master = (await layout()).find((n) => n.flags.includes('master') && !n.flags.includes('fail') && owns(n.slots, slot));
      return nodes.find((n) => n.port === master?.port)!;
    },
    async failover(node) {
      const slots = (await layout()).find((n) => n.port === node.port)!.slots;
      // Redis replicates asynchronously: a write its replica has not acknowledged is lost when the
      // master dies (https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/ ,
      // "Redis Cluster consistency guarantees"). On a loaded machine the session written just
      // before could be such a write; the test is about the SDK across a failover, not about that
      // loss, so it waits for the replica's acknowledgement first.
      const acknowledged = (await cli(node.port, 'WAIT', '1', '5000')).trim();
      if (acknowledged !== '1') throw new Error(`the replica of ${node.port} did not acknowledge its writes within 5 s (WAIT answered ${acknowledged})`);
      const exited = new Promise((resolve) => node.child.once('exit', resolve));
      process.kill(node.child.pid!, 'SIGKILL');
      await exited;
      await until('a replica taking over', async () => {
        const now = await layout();
        return now.some((n) => n.port !== node.port && n.flags.includes('master') && !n.flags.includes('fail') && n.slots.join() === slots.join());
      });
    },
    close,
  };
}
