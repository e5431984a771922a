// The replay record, bounded: the newest bodies per sender device by createdAt, a horizon below
// which unrecorded bodies open without being recorded, and one record per sender device.
import { describe, expect, it } from 'vitest';
import { checkReplay } from '../../src/e2e/replay.js';
import { E2EError, memoryKeyStore } from '../../src/e2e/index.js';

const msgId = (n: number) => new Uint8Array(16).fill(n);
async function outcome(work: Promise<void>): Promise<string> {
  try {
    await work;
    return 'opened';
  } catch (error) {
    if (error instanceof E2EError) return error.code;
    throw error;
  }
}

describe('replay record', () => {
  it('keeps the newest `limit` bodies of a sender device; older ones drop out and set the horizon', async () => {
    const store = memoryKeyStore();
    const check = (body: number, id: string, createdAt: number) => outcome(checkReplay(store, 'dev_a', msgId(body), { id, createdAt }, 3));
    for (const n of [1, 2, 3, 4]) expect(await check(n, `msg_${n}`, n * 1000)).toBe('opened');
    const [horizon, entries] = (await store.get('coveton-e2e/seen/dev_a')) as [number, unknown[]];
    expect([horizon, entries.length]).toEqual([1000, 3]);
    // Still held: a copy is refused, the original reads again.
    expect(await check(2, 'msg_copy', 9000)).toBe('replay');
    expect(await check(2, 'msg_2', 2000)).toBe('opened');
    // Dropped, and read again as history: opens, recorded nowhere.
    expect(await check(1, 'msg_1', 1000)).toBe('opened');
    expect(((await store.get('coveton-e2e/seen/dev_a')) as [number, unknown[]])[1]).toHaveLength(3);
    // A body with no createdAt never moves the horizon.
    for (const n of [5, 6, 7, 8]) await check(n, `msg_${n}`, Infinity);
    expect(((await store.get('coveton-e2e/seen/dev_a')) as [number, unknown[]])[0]).toBe(4000);
  });

  it('reads one record per sender device and nothing else (no release kept one per body)', async () => {
    const store = memoryKeyStore();
    const read: string[] = [];
    const watched = { ...store, get: (name: string) => (read.push(name), store.get(name)) };
    await store.set(`coveton-e2e/seen/dev_a/${'09'.repeat(16)}`, 'msg_old');
    expect(await outcome(checkReplay(watched, 'dev_a', msgId(9), { id: 'msg_new', createdAt: 1 }))).toBe('opened');
    expect(await outcome(checkReplay(watched, 'dev_a', msgId(9), { id: 'msg_copy', createdAt: 2 }))).toBe('replay');
    expect(read).toEqual(['coveton-e2e/seen/dev_a', 'coveton-e2e/seen/dev_a']);
  });
});
