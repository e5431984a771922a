// The file key store's lock (src/e2e/node-file-lock.ts) against real processes: a live holder
// stopped for longer than the age rule keeps its lock; a holder whose lock was taken anyway
// redoes its change and never removes another's lock; a lock that is not a file, or is dated in
// the future, ends the wait; temporary files of writers that are gone are removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileKeyStore } from '../../src/e2e/node-file-key-store.js';
import { E2EError } from '../../src/e2e/index.js';

const dir = mkdtempSync(join(tmpdir(), 'coveton-key-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL'); // a failed test leaves one stopped
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
const fresh = () => join(dir, `device-${++n}`, 'keys.json');
async function seeded() {
  const path = fresh();
  await fileKeyStore(path).set('seed', 1);
  return path;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keys = (path: string) => Object.keys(JSON.parse(readFileSync(path, 'utf8')).values).sort();

/** The other write and the paused one are both in the file, and no lock is left. */
function expectBothKept(path: string) {
  expect(keys(path)).toEqual(['a', 'b', 'seed']);
  expect(existsSync(`${path}.lock`)).toBe(false);
}

/** A process setting `key` that stops itself (SIGSTOP) at `call` inside its write (support/file-store-pauser.ts). */
function pauser(path: string, key: string, call: 'readFile' | 'rename') {
  const script = fileURLToPath(new URL('./support/file-store-pauser.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, path, key, call], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  const said = (line: string) => new Promise<void>((resolve, reject) => {
    const check = () => (out.includes(line) ? resolve() : child.exitCode !== null ? reject(new Error(`exited: ${out}`)) : setTimeout(check, 10));
    check();
  });
  return { child, said };
}

describe('fileKeyStore lock', () => {
  it('a live holder stopped for longer than 10 s keeps its lock: the other write waits, both records kept', async () => {
    const path = await seeded();
    const a = pauser(path, 'a', 'rename');
    await a.said('holding');
    let done = false;
    const b = fileKeyStore(path).set('b', 'from b').then(() => (done = true));
    await sleep(11_000);
    // Before: b took the "stale" lock after 10 s and wrote; a's rename then dropped b.
    expect(done).toBe(false);
    a.child.kill('SIGCONT');
    await Promise.all([a.said('done'), b]);
    expectBothKept(path);
  }, 30_000);

  it('a holder whose lock was taken does not rename its copy nor remove the other lock: it waits and redoes its change', async () => {
    const path = await seeded();
    const a = pauser(path, 'a', 'readFile'); // stopped with its copy of the file read
    await a.said('holding');
    rmSync(`${path}.lock`); // taken from it (another host's age rule, or a holder paused past DEAD_MS)
    await fileKeyStore(path).set('b', 'from b');
    const other = JSON.stringify({ pid: process.pid, host: hostname(), token: 'another holder' });
    writeFileSync(`${path}.lock`, other, { mode: 0o600 });
    a.child.kill('SIGCONT');
    await sleep(500);
    // Before: a renamed its copy (without b) over the file and unlinked this lock.
    expect([keys(path), readFileSync(`${path}.lock`, 'utf8')]).toEqual([['b', 'seed'], other]);
    rmSync(`${path}.lock`);
    await a.said('done');
    expectBothKept(path);
  }, 30_000);

  it('a lock that is not a file (a dangling symlink) is key_store_failed naming it, at once; it is left in place', async () => {
    const path = await seeded();
    symlinkSync(join(dir, 'nowhere'), `${path}.lock`);
    const started = Date.now();
    // Before: open wx answered EEXIST, stat failed, and the loop retried without sleeping, forever.
    const error = await fileKeyStore(path).set('x', 1).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(E2EError);
    expect([(error as E2EError).code, (error as E2EError).message.includes(`${path}.lock`)]).toEqual(['key_store_failed', true]);
    expect(Date.now() - started).toBeLessThan(1000);
    rmSync(`${path}.lock`);
  });

  it('a lock of no live holder dated an hour ahead (a clock stepped back) is stale, not waited for', async () => {
    const path = await seeded();
    writeFileSync(`${path}.lock`, '', { mode: 0o600 });
    const ahead = Date.now() / 1000 + 3600;
    utimesSync(`${path}.lock`, ahead, ahead);
    const started = Date.now();
    await fileKeyStore(path).set('x', 1); // Before: waited the hour.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(keys(path)).toEqual(['seed', 'x']);
  });

  it('taking the lock removes temporary files of the store whose writer is gone, and nothing else', async () => {
    const path = await seeded();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    const folder = join(path, '..');
    const old = Date.now() / 1000 - 11;
    const files = {
      deadWriter: `.keys.json.${gone.pid}.0123456789ab.tmp`, // killed mid-write: a full copy of the keys
      oldNoPid: '.keys.json.0123456789ab.tmp', // an earlier release's, older than 10 s
      freshNoPid: '.keys.json.ba9876543210.tmp',
      liveWriter: `.keys.json.${process.pid}.0123456789ab.tmp`,
      otherStore: '.other.json.0123456789ab.tmp',
      notATemp: 'keys.json.0123456789ab.tmp',
    };
    for (const [what, name] of Object.entries(files)) {
      writeFileSync(join(folder, name), '{"private":"copy"}', { mode: 0o600 });
      if (what !== 'freshNoPid' && what !== 'deadWriter' && what !== 'liveWriter') utimesSync(join(folder, name), old, old);
    }
    await fileKeyStore(path).set('x', 1);
    // Before: all six were left.
    expect(readdirSync(folder).sort()).toEqual(['keys.json', files.freshNoPid, files.liveWriter, files.otherStore, files.notATemp].sort());
  });
});

