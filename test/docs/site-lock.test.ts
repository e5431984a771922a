// The lock of the shared docs build (support/site.ts): one builder at a time, and a lock left by
// a builder that died is taken over instead of waited out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tryLock } from './support/site.js';

describe('the docs build lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coveton-site-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const held = (name: string, pid?: number) => {
    const lock = join(dir, name);
    mkdirSync(lock);
    if (pid !== undefined) writeFileSync(join(lock, 'pid'), String(pid));
    return lock;
  };
  const owner = (lock: string) => readFileSync(join(lock, 'pid'), 'utf8');

  it('is taken when free, with this process as its owner', () => {
    const lock = join(dir, 'free');
    expect(tryLock(lock)).toBe(true);
    expect(owner(lock)).toBe(String(process.pid));
  });

  it('is not taken while its owner runs, nor before the owner has written its id', () => {
    const lock = held('running', process.pid);
    expect(tryLock(lock)).toBe(false);
    expect(owner(lock)).toBe(String(process.pid));
    expect(tryLock(held('unwritten'))).toBe(false);
  });

  it('is taken over from an owner that has died', () => {
    const ended = spawnSync(process.execPath, ['-e', '']);
    expect(ended.status).toBe(0);
    const lock = held('dead', ended.pid);
    expect(tryLock(lock)).toBe(true);
    expect(owner(lock)).toBe(String(process.pid));
  });
});
