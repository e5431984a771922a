// The stores that hold request-sized data are bounded in bytes, not only in count: a message
// carries up to 1 MiB of ciphertext, and 5000 idempotent answers of that size (plus 1000 stored
// messages and 1000 events) crashed the mock out of memory at about 4 GB (review of the mock,
// finding 2). Small caps show the exact eviction; a stream of 1 MiB messages through a running
// mock shows every store stays under its default cap.
import { describe, expect, it, vi } from 'vitest';
import { createDeliveries } from '../../src/mock/deliveries.js';
import { createGoneRecords } from '../../src/mock/gone.js';
import { DEFAULT_IDEMPOTENCY_BYTES, createIdempotencyStore } from '../../src/mock/idempotency.js';
import { SEED } from '../../src/mock/index.js';
import { DEFAULT_STATE_BYTES, createStore, jsonBytes } from '../../src/mock/state.js';
import { httpClient, message } from './http.js';
import { ADA, useMock } from './support.js';

/** A row whose JSON text is exactly `bytes` long. */
const row = (id: string, bytes: number) => {
  const r = { id, p: '' };
  r.p = 'x'.repeat(bytes - jsonBytes(r));
  return r;
};

describe('the state: a byte cap across collections', () => {
  it('drops the oldest record of the collection holding the most bytes, and re-measures a record changed in place', () => {
    const store = createStore(1000, 1000);
    store.put('teams', row('team_1', 100));
    for (const id of ['msg_1', 'msg_2', 'msg_3']) store.put('messages', row(id, 300));
    expect(store.bytes()).toBe(1000);
    store.put('messages', row('msg_4', 300));
    expect(store.all('messages').map((r) => r.id)).toEqual(['msg_4', 'msg_3', 'msg_2']);
    expect(store.bytes()).toBe(1000);
    // A small record of another collection: the messages (the fullest) pay, not the teams.
    store.put('teams', row('team_2', 100));
    expect(store.all('teams').map((r) => r.id)).toEqual(['team_2', 'team_1']);
    expect(store.all('messages').map((r) => r.id)).toEqual(['msg_4', 'msg_3']);
    expect(store.bytes()).toBe(800);
    // An edit that grows a message in place, measured again at the store's next use: 800 - 300 + 600 > 1000.
    const edited = store.get('messages', 'msg_4')!;
    edited.p = 'y'.repeat(600 - jsonBytes({ ...edited, p: '' }));
    expect(store.all('messages').map((r) => r.id)).toEqual(['msg_4']);
    expect(store.bytes()).toBe(800);
    expect(store.remove('messages', 'msg_4')).toBe(true);
    expect(store.bytes()).toBe(200);
  });
});

// A gone record leaves its place and who could see it, for a `before` cursor naming it
// (cursor.ts): only the fields the audience check reads, under a byte cap of their own.
describe('what gone records leave behind: a trace, and a byte cap', () => {
  it('keeps only the fields that decide who could see a record', () => {
    const store = createStore();
    store.put('chats', { id: 'chat_1', name: 'x'.repeat(500), organizationId: 'org_1', participants: [{ userId: 'usr_1', role: 'member', deviceIds: ['dev_1'] }], fileIds: ['file_1'] });
    expect(store.trace('chats', 'chat_1')).toBeUndefined();
    expect(store.remove('chats', 'chat_1')).toBe(true);
    const trace = { id: 'chat_1', organizationId: 'org_1', participants: [{ userId: 'usr_1' }] };
    expect(store.trace('chats', 'chat_1')).toEqual(trace);
    expect(store.goneBytes()).toBe(jsonBytes(trace));
    store.put('chats', { id: 'chat_1', organizationId: 'org_1', participants: [] });
    expect([store.trace('chats', 'chat_1'), store.goneBytes()]).toEqual([undefined, 0]);
  });

  it('past the cap, forgets the oldest trace of the collection holding the most bytes', () => {
    const gone = createGoneRecords(10, 100);
    gone.add('sessions', 'sess_1', { place: 1, trace: {} }, 60);
    gone.add('messages', 'msg_1', { place: 2, trace: {} }, 30);
    gone.add('sessions', 'sess_2', { place: 3, trace: {} }, 30);
    expect(gone.bytes()).toBe(60);
    expect([gone.get('sessions', 'sess_1'), gone.get('sessions', 'sess_2')?.place, gone.get('messages', 'msg_1')?.place]).toEqual([undefined, 3, 2]);
  });
});

describe('idempotency keys: a byte cap on the recorded answers', () => {
  it('forgets the oldest keys past the cap; a retry with a forgotten key runs as a new request', async () => {
    let runs = 0;
    const reply = (n: number) => async () => ({ status: 201, body: { n, pad: 'x'.repeat(200) } });
    const store = createIdempotencyStore(1000);
    const send = (key: string, n: number) => store.run('user:usr_1', key, n, () => (runs++, reply(n)()));
    for (let i = 1; i <= 4; i++) expect(await send(`k${i}`, i)).toMatchObject({ replayed: false });
    const one = Buffer.byteLength('user:usr_1\u0000k1') + jsonBytes({ n: 1, pad: 'x'.repeat(200) }) + jsonBytes({});
    expect(store.bytes()).toBe(4 * one);
    expect(await send('k5', 5)).toMatchObject({ replayed: false });
    expect(store.bytes()).toBe(4 * one);
    expect(runs).toBe(5);
    expect(await send('k5', 5)).toMatchObject({ replayed: true, reply: { body: { n: 5 } } });
    expect(await send('k2', 2)).toMatchObject({ replayed: true });
    expect(runs).toBe(5);
    expect(await send('k1', 1)).toMatchObject({ replayed: false });
    expect(runs).toBe(6);
  });
});

describe('the event log: a byte cap', () => {
  it('drops the oldest events past the cap', () => {
    const deliveries = createDeliveries({}, () => {}, 1000);
    for (let i = 0; i < 5; i++) deliveries.emit('message.created', null, { i, pad: 'x'.repeat(200) }, 0);
    const size = Buffer.byteLength(JSON.stringify(deliveries.events[0]));
    expect(deliveries.events.map((e) => (e as { data: { i: number } }).data.i)).toEqual([1, 2, 3, 4].slice(4 - Math.floor(1000 / size)));
    expect(deliveries.bytes()).toBe(deliveries.events.length * size);
    expect(deliveries.bytes()).toBeLessThanOrEqual(1000);
  });
});

describe('a running mock under a stream of 1 MiB messages, each with a fresh Idempotency-Key', () => {
  const mock = useMock({ rateLimit: false });
  const { call, control, signIn } = httpClient(() => mock().url);
  const COUNT = 72; // 72 MiB of ciphertext: past the state's 64 MiB and the others' 32 MiB

  it('keeps each store under its cap, the newest messages and keys, and says so at /__mock/memory', async () => {
    const { accessToken } = await signIn({ id: SEED.userId, ...ADA });
    const ciphertext = (i: number) => `${String(i).padStart(4, '0')}${'QUJD'.repeat(262_142)}`; // 1,048,572 characters
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const sent = await call('POST', '/messages', { token: accessToken, body: message(SEED.chatId, { ciphertext: ciphertext(i) }), headers: { 'idempotency-key': `mem-${i}` } });
      expect(sent.status).toBe(201);
      ids.push(sent.body.id);
    }
    const memory = (await control('/memory')).body;
    for (const store of ['state', 'idempotency', 'events', 'storage', 'bodies', 'gone']) expect(memory[store].bytes).toBeLessThanOrEqual(memory[store].cap);
    expect(memory.state.cap).toBe(DEFAULT_STATE_BYTES);
    expect(memory.idempotency.cap).toBe(DEFAULT_IDEMPOTENCY_BYTES);
    // Full, not emptied: within one message of each cap.
    expect(memory.state.bytes).toBeGreaterThan(DEFAULT_STATE_BYTES - 1_100_000);
    expect(memory.idempotency.bytes).toBeGreaterThan(DEFAULT_IDEMPOTENCY_BYTES - 1_100_000);
    const listed = (await call('GET', `/chats/${SEED.chatId}/messages?limit=100`, { token: accessToken })).body as unknown as { id: string }[];
    const kept = ids.filter((id) => listed.some((m) => m.id === id));
    // The newest ones, in order: as many as fit in the cap beside the seed's records.
    expect(kept).toEqual(ids.slice(COUNT - kept.length));
    expect(kept.length).toBe(Math.floor(DEFAULT_STATE_BYTES / jsonBytes(listed[0])));
    // The newest key replays; the first one was forgotten, so its retry is a new message.
    const retry = async (i: number) => call('POST', '/messages', { token: accessToken, body: message(SEED.chatId, { ciphertext: ciphertext(i) }), headers: { 'idempotency-key': `mem-${i}` } });
    const last = await retry(COUNT - 1);
    expect([last.status, last.headers.get('idempotent-replayed'), last.body.id]).toEqual([201, 'true', ids[COUNT - 1]]);
    const first = await retry(0);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(ids).not.toContain(first.body.id);
  }, 120_000);
});

// A record's bytes are kept from when it was written (state.ts): every write measures it again
// (an update, the expiry sweep that changes a status in place), a read measures nothing.
describe('a running mock measures a record when it is written, never when it is read', () => {
  const mock = useMock({ rateLimit: false, clock: '2030-01-01T00:00:00Z' });
  const { call, control, signIn } = httpClient(() => mock().url);
  const stateBytes = async () => (await control('/memory')).body.state.bytes as number;
  const createKey = async (token: string, extra: object = {}) => {
    const made = await call('POST', '/api-keys', { token, body: { name: 'measured', type: 'service', environment: 'sandbox', ...extra } });
    expect(made.status).toBe(201);
    return made.body;
  };

  it('the expiry sweep measures the records it changes: a key past expiresAt grows by one byte (active -> expired)', async () => {
    const { accessToken: token } = await signIn({ id: SEED.userId, ...ADA });
    const key = await createKey(token, { expiresAt: '2030-01-01T00:01:00Z' });
    const held = await stateBytes();
    await control('/clock', { advance: '2m' });
    // A list, not the key's own read: the sweep is the only write.
    const listed = (await call('GET', '/api-keys', { token })).body as unknown as { id: string; status: string }[];
    expect(listed.find((k) => k.id === key.id)?.status).toBe('expired');
    expect((await stateBytes()) - held).toBe(1);
  });

  it("reads of a record stringify none of it; an update measures it once, and the state's bytes follow", async () => {
    const { accessToken: token } = await signIn({ id: SEED.userId, ...ADA });
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const key = await createKey(token);
      // The stored record (not the answer's copy, which has no hidden fields) as the store measured it.
      const stored = stringify.mock.calls.map(([value]) => value as Record<string, unknown>).find((v) => v?.id === key.id && '_secret' in v)!;
      expect(stored).toBeDefined();
      const created = jsonBytes(stored);
      const measured = () => stringify.mock.calls.filter(([value]) => value === stored).length;
      stringify.mockClear();
      for (let i = 0; i < 5; i++) expect((await call('GET', `/api-keys/${key.id}`, { token })).status).toBe(200);
      expect(measured()).toBe(0);
      const held = await stateBytes();
      expect((await call('PATCH', `/api-keys/${key.id}`, { token, body: { description: 'x'.repeat(100) } })).status).toBe(200);
      expect(measured()).toBe(1);
      expect((await stateBytes()) - held).toBe(jsonBytes(stored) - created);
      expect(jsonBytes(stored) - created).toBeGreaterThan(100);
    } finally {
      stringify.mockRestore();
    }
  });
});
