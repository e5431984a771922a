// Memory: a 64 MiB encrypted file round trip (upload, download, decrypt) adds under
// 32 MiB to the SDK process's peak RSS. The SDK runs in a child process of its own and the mock
// (which holds the uploaded bytes) in another, so only the SDK's memory is measured. In the
// integration project, as it starts processes.
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('./', import.meta.url));
const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'coveton-e2e-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 64 MiB of random bytes in a file, and their SHA-256. */
function bigFile(): { path: string; sha256: string } {
  const path = join(dir, 'big.bin');
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let i = 0; i < 64; i++) {
    const chunk = randomBytes(MiB);
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return { path, sha256: hash.digest('hex') };
}

describe('e2e files: memory', () => {
  it('a 64 MiB file goes up encrypted and comes back decrypted, adding under 32 MiB to the SDK process peak RSS', async () => {
    const file = bigFile();
    const server = spawn(process.execPath, ['--import', 'tsx', join(here, 'mock-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout! }).once('line', resolve);
        server.once('exit', (code) => reject(new Error(`the mock exited (${code})`)));
      });
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'e2e-client.ts'), url, file.path], { timeout: 120_000 });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { sha256: string; baseline: number; peak: number; added: number; ms: number };
      console.log(`64 MiB e2e round trip: +${(result.added / MiB).toFixed(1)} MiB peak RSS over ${(result.baseline / MiB).toFixed(1)} MiB, ${result.ms} ms`);
      expect(result.sha256).toBe(file.sha256);
      expect(result.added).toBeLessThan(32 * MiB);
    } finally {
      server.stdin!.end();
      server.kill();
    }
  }, 180_000);
});
