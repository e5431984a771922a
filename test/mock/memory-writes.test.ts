// Every write to a stored record is measured for the state's byte cap, whoever makes it and
// whatever the request's target (state.ts, watched.ts). A hostile review of 8a774a7 (finding M2)
// found writes the call sites never measured: a registered device joins every chat of its user
// (about 21 B per chat per device, without bound), and a request made with an API key, a GET
// included, sets the key's `lastUsedAt`. The store is captured to compare the bytes it counts
// with the JSON text of every record it holds.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SEED, type RunningMock } from '../../src/mock/index.js';
import { jsonBytes, type Store } from '../../src/mock/state.js';
import { deviceKeyBundle } from '../../src/tools/device-keys.js';
import { httpClient } from './http.js';
import { ADA } from './support.js';

// The mock's files share one module registry (vitest.config.ts), so the capture loads the mock
// afresh (as test/sdk/abort-source.test.ts loads the SDK): a hoisted vi.mock would miss a state.js
// another file loaded first.
const captured: { store?: Store } = {};
let running: RunningMock | undefined;
beforeAll(async () => {
  vi.resetModules();
  vi.doMock('../../src/mock/state.js', async (importOriginal) => {
    const real = await importOriginal<typeof import('../../src/mock/state.js')>();
    return { ...real, createStore: (...args: Parameters<typeof real.createStore>) => (captured.store = real.createStore(...args)) };
  });
  const { startMock } = await import('../../src/mock/index.js');
  running = await startMock({ rateLimit: false });
  expect(captured.store).toBeDefined();
}, 30_000);
afterAll(async () => {
  vi.doUnmock('../../src/mock/state.js');
  vi.resetModules();
  if (!running) return;
  const broken = [...running.violations];
  await running.close();
  expect(broken, 'answers of the mock that broke the contract').toEqual([]);
});
const { call, control, signIn } = httpClient(() => running!.url);

/** What the store counts, and what its records' JSON text holds. */
const figures = async () => {
  const store = captured.store!;
  let actual = 0;
  for (const name of Object.keys(store.counts())) for (const row of store.all(name)) actual += jsonBytes(row);
  return { counted: (await control('/memory')).body.state.bytes as number, actual };
};

it("registering devices grows every chat of the user, and the state's bytes follow exactly", async () => {
  const { accessToken: token } = await signIn({ id: SEED.userId, ...ADA });
  const chats: string[] = [];
  for (let i = 0; i < 20; i++) {
    const chat = await call('POST', '/chats', { token, body: { type: 'group', name: `c${i}`, participantIds: [SEED.bob.userId] } });
    expect(chat.status).toBe(201);
    chats.push(chat.body.id);
  }
  const devices: string[] = [];
  for (let i = 0; i < 30; i++) {
    const made = await call('POST', '/devices', { token, body: { name: `d${i}`, platform: 'web', ...deviceKeyBundle() } });
    expect(made.status).toBe(201);
    devices.push(made.body.id);
  }
  const grown = await figures();
  // The chats did grow: each holds the 30 new device ids.
  const chat = (await call('GET', `/chats/${chats[0]}`, { token })).body;
  expect(chat.participants.find((p: { userId: string }) => p.userId === SEED.userId).deviceIds).toEqual(expect.arrayContaining(devices));
  expect(grown.counted).toBe(grown.actual);
  // Removing a device shrinks them again, measured too.
  expect((await call('DELETE', `/devices/${devices[0]}`, { token })).status).toBe(204);
  const shrunk = await figures();
  expect(shrunk.counted).toBe(shrunk.actual);
  expect(shrunk.counted).toBeLessThan(grown.counted);
});

it("an API key's lastUsedAt, written by a GET made with the key, is counted", async () => {
  const { accessToken: token } = await signIn({ id: SEED.userId, ...ADA });
  const made = await call('POST', '/api-keys', { token, body: { name: 'm', type: 'service', environment: 'sandbox', permissions: ['*'] } });
  expect(made.status).toBe(201);
  const before = await figures();
  expect(before.counted).toBe(before.actual);
  const used = await call('GET', `/api-keys/${made.body.id}`, { token: made.body.secret });
  expect([used.status, typeof used.body.lastUsedAt]).toEqual([200, 'string']);
  const after = await figures();
  expect(after.counted).toBe(after.actual);
  // null -> a timestamp: the key grew, and the count with it.
  expect(after.counted).toBeGreaterThan(before.counted);
});
