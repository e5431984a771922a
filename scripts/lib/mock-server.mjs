// Starts Prism on the bundled spec, on 127.0.0.1, and resolves once it answers. Used by
// `npm start`, the test suite and the CLI's `coveton mock`. The server stops by itself when
// the process that started it exits (see supervise.mjs), or after `maxLifetimeMs`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

export const BUNDLED_SPEC = join(here, '..', '..', 'generated', 'openapi.yaml');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startMock({
  spec = BUNDLED_SPEC,
  port,
  errors = true,
  dynamic = false,
  maxLifetimeMs = 60 * 60 * 1000,
  quiet = true,
  mode = 'mock',
  upstream,
} = {}) {
  const chosen = port ?? (await freePort());
  const prism = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
  const args = mode === 'proxy' ? ['proxy', spec, upstream] : ['mock', spec];
  args.push('-h', '127.0.0.1', '-p', String(chosen));
  if (errors) args.push('--errors');
  if (dynamic) args.push('--dynamic');
  const child = spawn(
    process.execPath,
    [join(here, 'supervise.mjs'), String(process.pid), String(maxLifetimeMs), process.execPath, prism, ...args],
    { stdio: quiet ? 'ignore' : 'inherit' },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const started = Date.now();
  while (!(await answers(chosen))) {
    if (exited) throw new Error(`Prism exited before it listened on port ${chosen}`);
    if (Date.now() - started > 30_000) {
      child.kill('SIGTERM');
      throw new Error(`Prism did not listen on port ${chosen} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
