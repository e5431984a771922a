// `coveton mock`, started the way a reader starts it (the CLI from source), on a free port of
// 127.0.0.1, and stopped by its process id.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../src/tools/prism.js';
import { root } from './site.js';

export interface Mock {
  url: string;
  stop(): Promise<void>;
}

export async function startMock(): Promise<Mock> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'bin.ts'), 'mock', '--port', String(port), '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => void (output += chunk));
  child.stderr!.on('data', (chunk) => void (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`coveton mock exited with ${child.exitCode}: ${output}`);
    // Any answer, even a 401, means it listens.
    const up = await fetch(`${url}/permissions`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`coveton mock did not listen on ${url} within 30 s: ${output}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
