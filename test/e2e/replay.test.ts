// The replay record, bounded: the newest bodies per sender device by their signed sentAt, a horizon
// below which unrecorded bodies open without being recorded, and one record per sender device;
// one message id per body on a device, whatever the server's dates; and checks of one store that
// take turns, so two decrypts at once both stay recorded.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { checkReplay } from '../../src/e2e/replay.js';
import { E2EError, memoryKeyStore, type KeyStore, type StoredMessage } from '../../src/e2e/index.js';
import { adaAndBob } from './fake-api.js';

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
    const check = (body: number, id: string, sentAt: number) => outcome(checkReplay(store, 'dev_a', msgId(body), { id, sentAt }, 3));
    for (const n of [1, 2, 3, 4]) expect(await check(n, `msg_${n}`, n * 1000)).toBe('opened');
    const [horizon, entries] = (await store.get('coveton-e2e/seen/dev_a')) as [number, unknown[]];
    expect([horizon, entries.length]).toEqual([1000, 3]);
    // Still held: a copy is refused, the original reads again.
    expect(await check(2, 'msg_copy', 9000)).toBe('replay');
    expect(await check(2, 'msg_2', 2000)).toBe('opened');
    // Dropped, and read again as history: opens, recorded nowhere.
    expect(await check(1, 'msg_1', 1000)).toBe('opened');
    expect(((await store.get('coveton-e2e/seen/dev_a')) as [number, unknown[]])[1]).toHaveLength(3);
    // An entry of an earlier release with no date (null) is dropped last and never moves the horizon.
    await store.set('coveton-e2e/seen/dev_a', [1000, [['05'.repeat(16), 'msg_5', null], ['06'.repeat(16), 'msg_6', 6000]]]);
    for (const n of [7, 8]) await check(n, `msg_${n}`, n * 1000);
    expect(await store.get('coveton-e2e/seen/dev_a')).toEqual([6000, [['05'.repeat(16), 'msg_5', null], ['07'.repeat(16), 'msg_7', 7000], ['08'.repeat(16), 'msg_8', 8000]]]);
  });

  it('reads one record per sender device and nothing else (no release kept one per body)', async () => {
    const store = memoryKeyStore();
    const read: string[] = [];
    const watched = { ...store, get: (name: string) => (read.push(name), store.get(name)) };
    await store.set(`coveton-e2e/seen/dev_a/${'09'.repeat(16)}`, 'msg_old');
    expect(await outcome(checkReplay(watched, 'dev_a', msgId(9), { id: 'msg_new', sentAt: 1 }))).toBe('opened');
    expect(await outcome(checkReplay(watched, 'dev_a', msgId(9), { id: 'msg_copy', sentAt: 2 }))).toBe('replay');
    expect(read).toEqual(['coveton-e2e/seen/dev_a', 'coveton-e2e/seen/dev_a']);
  });
});

describe('one message id per body, whatever the server dates', () => {
  const T = Date.parse('2026-12-07T12:00:00.000Z');
  afterEach(() => void vi.useRealTimers());
  const dated = (m: StoredMessage, id: string, ms: number) => ({ ...m, id, createdAt: new Date(ms).toISOString() });
  async function setUp() {
    vi.useFakeTimers({ now: T, toFake: ['Date'] });
    const { ada, bob } = await adaAndBob();
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'transfer $100', contentType: 'text/plain' });
    const read = (m: StoredMessage) => outcome(bob.client.messages.decrypt(m).then((d) => void expect(d.sentAt).toBe(T)));
    return { sent: { ...sent, createdAt: new Date(T + 200).toISOString() }, read };
  }

  it('copies dated before the original, or as it with a lower id, are replay once the original opened; the original reads again', async () => {
    const { sent, read } = await setUp();
    expect(await read(sent)).toBe('opened');
    // Before: the three backdated copies opened (each earlier, so each owned the body in turn), then the original was replay.
    const copies = [1, 2, 3].map((n) => dated(sent, `msg_copy${n}`, T - n * 60_000));
    expect([await read(copies[0]!), await read(copies[1]!), await read(copies[2]!), await read(sent)]).toEqual(['replay', 'replay', 'replay', 'opened']);
    // Before: the same createdAt with a lower id opened after the original.
    expect(await read({ ...sent, id: 'msg_0' })).toBe('replay');
  });

  it('a copy read first owns the body (newest first, as pages list them): the original is then replay', async () => {
    const { sent, read } = await setUp();
    const later = dated(sent, 'msg_later', T + 3_600_000);
    expect([await read(later), await read(sent), await read(later)]).toEqual(['opened', 'replay', 'opened']);
  });

  it('a sender whose clock runs 11 minutes fast: its message opens, on every read (the server dates it on arrival)', async () => {
    const { ada, bob } = await adaAndBob();
    vi.useFakeTimers({ now: T + 11 * 60_000, toFake: ['Date'] });
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hello', contentType: 'text/plain' });
    vi.setSystemTime(T + 1000);
    const stored = dated(sent, sent.id, T + 200);
    // Before: decrypt_failed on both reads (createdAt more than 10 minutes before the signed sentAt).
    const reads = [0, 1].map(() => bob.client.messages.decrypt(stored).then((d) => [d.text, d.sentAt]));
    expect(await Promise.all(reads)).toEqual([['hello', T + 11 * 60_000], ['hello', T + 11 * 60_000]]);
  });

  it('a copy dated any time before its original is one more id: read first it owns the body, as any copy does', async () => {
    const { sent, read } = await setUp();
    const early = dated(sent, 'msg_early', T - 3_600_000);
    expect([await read(early), await read(sent), await read(early)]).toEqual(['opened', 'replay', 'opened']);
  });
});

/**
 * `inner` whose first read of a replay record is answered only once a second read of it has come
 * in (or after a second, when nothing else reads it meanwhile): two checks that do not wait for
 * each other both read the record as it was before either wrote.
 */
function interleaving(inner: KeyStore): KeyStore {
  let waiting: (() => void) | undefined;
  let held = false;
  return {
    get: async (name) => {
      if (name.startsWith('coveton-e2e/seen/')) {
        if (waiting) waiting();
        else if (!held) {
          held = true;
          await new Promise<void>((resolve) => {
            waiting = resolve;
            setTimeout(resolve, 1000);
          });
        }
      }
      return structuredClone(await inner.get(name));
    },
    set: (name, value) => inner.set(name, value),
    delete: (name) => inner.delete(name),
  };
}

describe('replay checks on one store', () => {
  it('two messages decrypted at once are both recorded: a copy of either is then replay, and history still opens', async () => {
    const { ada, bob, world } = await adaAndBob();
    const send = (text: string) => bob.client.messages.send({ chatId: 'chat_1', plaintext: text, contentType: 'text/plain' });
    const first = await send('one');
    const second = await send('two');
    const client = createE2EClient(world.as('usr_ada'), ada.device, interleaving(ada.store));
    const both = await Promise.all([client.messages.decrypt(first), client.messages.decrypt(second)]);
    expect(both.map((m) => m.text)).toEqual(['one', 'two']);
    const later = new Date(Date.parse(second.createdAt!) + 60_000).toISOString();
    const copy = (m: typeof first, id: string) => outcome(client.messages.decrypt({ ...m, id, createdAt: later }).then(() => undefined));
    // Before, the second write replaced the first body's record: its copy opened as a new message.
    expect([await copy(first, 'msg_copy_1'), await copy(second, 'msg_copy_2')]).toEqual(['replay', 'replay']);
    expect((await client.messages.decrypt(first)).text).toBe('one');
    expect((await client.messages.decrypt(second)).text).toBe('two');
  });
});
