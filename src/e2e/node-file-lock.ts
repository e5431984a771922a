// The lock file of the Node file key store (node-file-key-store.ts): `<path>.lock`, one process
// at a time reads, changes and replaces the key file, so none writes back a copy that lacks
// another's change. Node only (node:fs); reached only from the `@coveton/sdk/e2e/node` entry.
//
// A lock names its holder: `{"pid":…,"host":…,"token":…}`, written whole before it appears (a
// temporary file hard-linked to the lock's name: link fails if the name is taken, like O_EXCL).
// When is a lock stale? Its age alone is not enough: a live holder paused or stalled on a slow
// fsync for more than STALE_MS had its lock taken, then renamed its older copy over the file and
// another process's write was lost (hostile review, slow-holder). So:
//   - a holder on this host is asked: `process.kill(pid, 0)`; its lock is stale once that process
//     is gone, or (its pid reused by another process) when not refreshed for DEAD_MS;
//   - a holder on another host (a shared folder), or a lock that does not parse (an earlier
//     release's empty lock), is stale when not refreshed for STALE_MS, or when dated more than
//     STALE_MS ahead (a clock stepped back); the holder refreshes its lock's mtime every
//     STALE_MS / 4 while it holds it.
// A holder may still lose its lock (paused past DEAD_MS, or to another host's age rule): before
// it renames, it checks the lock is still its own (`held`), and the store then redoes its change
// under a new lock. Release removes only its own lock. Every wait sleeps, and waiting ends after
// WAIT_MS with key_store_failed naming the lock. An entry at the lock's name that is not a file
// (a dangling symlink spun the old loop forever) is key_store_failed naming it: never removed.
import { randomBytes } from 'node:crypto';
import { link, lstat, readFile, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { E2EError } from './errors.js';

const STALE_MS = 10_000;
const DEAD_MS = 600_000;
const WAIT_MS = 30_000;

export interface Held {
  /** Whether `<path>.lock` is still this holder's. */
  held(): Promise<boolean>;
  /** Stops refreshing it and removes it if it is still this holder's. */
  release(): Promise<void>;
}

const failed = (what: string, cause?: unknown) => new E2EError('key_store_failed', what, { cause });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Whether the process `pid` of this host is running (EPERM: it is, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

/** Whether a lock (or a temporary file) written by `owner`, last touched at `mtimeMs`, was left by a holder that is gone. */
export function abandoned(owner: { pid?: unknown; host?: unknown } | undefined, mtimeMs: number): boolean {
  const age = Date.now() - mtimeMs;
  if (owner && owner.host === hostname() && Number.isSafeInteger(owner.pid)) return !running(owner.pid as number) || age > DEAD_MS;
  return age > STALE_MS || age < -STALE_MS;
}

const parse = (text: string | undefined) => {
  try {
    const owner: unknown = JSON.parse(text ?? '');
    return typeof owner === 'object' && owner !== null ? (owner as { pid?: unknown; host?: unknown }) : undefined;
  } catch {
    return undefined;
  }
};

/** Takes `<path>.lock`; `temporary` names a file of the store's own temporary-name pattern. */
export async function takeLock(path: string, temporary: () => string): Promise<Held> {
  const file = `${path}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), token: randomBytes(16).toString('hex') });
  const read = () => readFile(file, 'utf8').catch(() => undefined);
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const staged = temporary();
    try {
      await writeFile(staged, mine, { flag: 'wx', mode: 0o600 });
      await link(staged, file);
      break;
    } catch (error) {
      // ENOENT: the staged file was swept (the store's sweep of temporary files) before its link.
      if (code(error) !== 'EEXIST' && code(error) !== 'ENOENT') throw failed(`${file}: lock`, error);
    } finally {
      await unlink(staged).catch(() => {});
    }
    const info = await lstat(file).catch(() => undefined);
    if (info && !info.isFile()) throw failed(`${file}: not a lock file (remove it if no process of this store is running)`);
    const text = info && (await read());
    if (info && abandoned(parse(text), info.mtimeMs)) {
      // Moved aside, then checked: another process that judged the same lock stale may have
      // replaced it with its own since; that one is put back (link: unless a newer one is there).
      const aside = temporary();
      if (await rename(file, aside).then(() => true, () => false)) {
        if ((await readFile(aside, 'utf8').catch(() => undefined)) !== text) await link(aside, file).catch(() => {});
        await unlink(aside).catch(() => {});
      }
      continue;
    }
    if (Date.now() > until) throw failed(`${file}: held by ${text || 'another process'} for more than ${WAIT_MS / 1000} s`);
    await sleep(5 + Math.random() * 20);
  }
  const refresh = setInterval(() => void utimes(file, new Date(), new Date()).catch(() => {}), STALE_MS / 4);
  refresh.unref();
  const held = async () => (await read()) === mine;
  return {
    held,
    release: async () => {
      clearInterval(refresh);
      if (await held()) await unlink(file).catch(() => {});
    },
  };
}
