// The app's own key store failing (a Keychain, a database: its get or set throwing, or rejecting
// with an Error or with anything else): every public operation that touches the store answers
// E2EError 'key_store_failed' naming the record it was reading or writing, with the store's own
// failure as the cause, and the next operation, once the store answers again, works (the store's
// queue of pin and replay steps is not held by the failure). The SDK's own stores' codes pass
// through as they are.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { fileKeyStore } from '../../src/e2e/node-file-key-store.js';
import { E2EError, e2eClient, indexedDbKeyStore, loadOrCreateDevice, memoryKeyStore, type KeyStore } from '../../src/e2e/index.js';
import { enrol, fakeWorld, type FakeWorld } from './fake-api.js';

type Method = 'get' | 'set' | 'delete';
const HOW = {
  'a sync throw': (e: unknown) => { throw e; },
  'a rejection with an Error': (e: unknown) => Promise.reject(e),
  'a rejection with a string': (e: unknown) => Promise.reject(String(e)),
} as const;
type How = keyof typeof HOW;

const SECRET = 'the plaintext nobody may log';

/** A memory store whose `method` fails while `failing` is set; keeps the last thing it threw and counts the calls. */
function flaky() {
  const inner = memoryKeyStore();
  const state = { failing: undefined as undefined | { method: Method; how: How }, thrown: undefined as unknown, calls: { get: 0, set: 0, delete: 0 } };
  const call = (method: Method, args: [string, unknown?]) => {
    state.calls[method]++;
    if (state.failing?.method !== method) return (inner[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    const original = new Error(`keychain locked (${method})`);
    state.thrown = state.failing.how === 'a rejection with a string' ? String(original) : original;
    return HOW[state.failing.how](original);
  };
  const store: KeyStore = {
    get: (name) => call('get', [name]),
    set: (name, value) => call('set', [name, value]) as Promise<void>,
    delete: (name) => call('delete', [name]) as Promise<void>,
  };
  return { store, state };
}

/**
 * Ada's device on a flaky store (registered unless `registered` is false, and then her client),
 * Bob's on a memory one; once Ada is registered, Bob has sent her a message.
 */
async function world(registered = true) {
  const w: FakeWorld = fakeWorld();
  w.chats.set('chat_1', ['usr_ada', 'usr_bob']);
  const bob = await enrol(w, 'usr_bob');
  const { store, state } = flaky();
  const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
  if (registered) await device.register(w.as('usr_ada'));
  const ada = { device, client: () => createE2EClient(w.as('usr_ada'), device, store) };
  const sent = registered ? await bob.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' }) : undefined;
  return { w, store, state, ada, sent: sent! };
}
type World = Awaited<ReturnType<typeof world>>;

/**
 * Every public operation that calls the store, what it calls, and how to run it (twice: once while
 * the store fails, once after). Each `ready` leaves the store healthy and the operation about to
 * read and write (a fresh client, pins not yet written where the operation writes them).
 */
const OPERATIONS: { name: string; methods: Method[]; registered?: false; ready(w: World): Promise<() => Promise<unknown>> }[] = [
  {
    name: 'loadOrCreateDevice (a new device)',
    methods: ['get', 'set'],
    registered: false,
    ready: async (w) => (await w.store.delete('coveton-e2e/device'), () => loadOrCreateDevice({ store: w.store, name: 'phone', platform: 'ios' })),
  },
  { name: 'loadOrCreateDevice (an existing device)', methods: ['get'], ready: async (w) => () => loadOrCreateDevice({ store: w.store, name: 'laptop', platform: 'web' }) },
  { name: 'device.register', methods: ['set'], registered: false, ready: async (w) => () => w.ada.device.register(w.w.as('usr_ada')) },
  {
    name: 'device.rotateSignedPreKey',
    methods: ['set'],
    ready: async (w) => () => w.ada.device.rotateSignedPreKey(w.w.as('usr_ada')),
  },
  ...(['messages.send', 'messages.decrypt', 'safetyNumber'] as const).map((name) => ({
    name,
    methods: ['get', 'set'] as Method[],
    ready: async (w: World) => {
      const client = w.ada.client();
      if (name === 'messages.send') return () => client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
      if (name === 'messages.decrypt') return () => client.messages.decrypt(w.sent);
      return () => client.safetyNumber('usr_bob');
    },
  })),
  {
    // Bob's pins saved already (read, not written): the one write is the replay record's.
    name: 'messages.decrypt (the replay record)',
    methods: ['set'],
    ready: async (w) => {
      await w.ada.client().safetyNumber('usr_bob');
      const client = w.ada.client();
      return () => client.messages.decrypt(w.sent);
    },
  },
  {
    name: 'acceptIdentity',
    methods: ['get', 'set'],
    ready: async (w) => {
      const client = w.ada.client();
      const number = await client.safetyNumber('usr_bob');
      return () => client.acceptIdentity('usr_bob', number);
    },
  },
];

const CASES = OPERATIONS.flatMap((op) => op.methods.flatMap((method) => (Object.keys(HOW) as How[]).map((how) => ({ op, method, how }))));

async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('no error');
}

const dir = mkdtempSync(join(tmpdir(), 'coveton-key-store-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a key store of the app that fails', () => {
  it.each(CASES.map((c) => [c.op.name, c.method, c.how, c] as const))('%s, its %s failing by %s: key_store_failed, then it works again', async (_name, method, how, { op }) => {
    const w = await world(op.registered);
    const run = await op.ready(w);
    w.state.failing = { method, how };
    const error = await rejection(run);
    expect(error).toBeInstanceOf(E2EError);
    const e = error as E2EError;
    expect(e.code).toBe('key_store_failed');
    expect(e.cause).toBe(w.state.thrown);
    // The record, by name (ids the caller has), never a value: no plaintext, no key bytes.
    expect(e.message).toMatch(new RegExp(`^key_store_failed: ${method === 'get' ? 'reading' : 'writing'} coveton-e2e/(device|pins/usr_\\w+|seen/dev_\\w+)$`));
    expect(e.message).not.toContain(SECRET);
    if (op.name.includes('replay')) expect(e.message).toMatch(/ coveton-e2e\/seen\/dev_\w+$/);

    w.state.failing = undefined;
    await run(); // the store answers again: so does the operation
  });

  it('a failure inside a pin or replay step does not hold the steps queued behind it on the store', async () => {
    const w = await world();
    const client = w.ada.client();
    // The first write of the decrypt (Bob's pins, first use) waits until the test fails it.
    let fail!: (error: unknown) => void;
    const held = new Promise<void>((_, reject) => (fail = reject));
    const set = w.store.set;
    let writes = 0;
    w.store.set = (name, value) => (++writes === 1 ? held : set(name, value));
    const failing = rejection(() => client.messages.decrypt(w.sent));
    await vi.waitFor(() => expect(writes).toBe(1));
    const queued = Promise.all([client.safetyNumber('usr_bob'), client.messages.decrypt(w.sent)]);
    await new Promise((r) => setTimeout(r, 50));
    const reads = w.state.calls.get;
    expect(writes).toBe(1); // the others wait their turn behind the held write
    fail(new Error('keychain locked'));
    expect(await failing).toMatchObject({ code: 'key_store_failed', message: 'key_store_failed: writing coveton-e2e/pins/usr_bob' });
    const [number, opened] = await queued;
    expect(opened.text).toBe(SECRET);
    expect(number.digits).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(w.state.calls.get).toBeGreaterThan(reads);
  });

  it('a store whose delete fails is never asked to delete: every operation works', async () => {
    const w = await world();
    w.state.failing = { method: 'delete', how: 'a sync throw' };
    await w.ada.device.rotateSignedPreKey(w.w.as('usr_ada'));
    const client = w.ada.client();
    await client.messages.decrypt(w.sent);
    await client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    await client.acceptIdentity('usr_bob', await client.safetyNumber('usr_bob'));
    await loadOrCreateDevice({ store: w.store, name: 'laptop', platform: 'web' });
    expect(w.state.calls.delete).toBe(0);
  });

  it('files never touch the store: upload and download work, and the store is not called', async () => {
    const w = await world();
    const client = w.ada.client();
    const calls = { ...w.state.calls };
    w.state.failing = { method: 'get', how: 'a sync throw' };
    const attachment = await client.files.upload(new TextEncoder().encode(SECRET), { filename: 'a.txt' });
    const text = await new Response(await client.files.download(attachment)).text();
    expect(text).toBe(SECRET);
    expect(w.state.calls).toEqual(calls);
  });
});

it('no e2e module but store.ts calls a key store: every call goes through its read and write', () => {
  const src = new URL('../../src/e2e/', import.meta.url);
  const calling = readdirSync(src).filter((f) => f !== 'store.ts' && /\bstore\.(get|set|delete)\(/.test(readFileSync(new URL(f, src), 'utf8')));
  expect(calling).toEqual([]);
});

describe('a value that is not a key store', () => {
  // Refused where it is given, naming the option and the function it lacks, before the store is
  // asked anything: it used to fail only at the first read, as key_store_failed with a TypeError
  // cause, as if a working store had failed.
  const counted = () => {
    const calls: string[] = [];
    const fn = (name: string) => async () => void calls.push(name);
    return { calls, fn };
  };
  type Make = (fn: (name: string) => () => Promise<void>) => unknown;
  const NOT_STORES: { name: string; make: Make; lacks: string }[] = [
    { name: '{}', make: () => ({}), lacks: 'get' },
    { name: 'null', make: () => null, lacks: '' },
    { name: 'a get that is not a function', make: (fn) => ({ get: 'keychain', set: fn('set'), delete: fn('delete') }), lacks: 'get' },
    { name: 'a set that is not a function', make: (fn) => ({ get: fn('get'), set: null, delete: fn('delete') }), lacks: 'set' },
    { name: 'no delete', make: (fn) => ({ get: fn('get'), set: fn('set') }), lacks: 'delete' },
  ];

  it.each(NOT_STORES)('loadOrCreateDevice({ store: $name }): malformed naming store or the function it lacks ($lacks), the store never called', async ({ make, lacks }) => {
    const { calls, fn } = counted();
    const error = await rejection(() => loadOrCreateDevice({ store: make(fn) as KeyStore, name: 'laptop', platform: 'web' }));
    expect(error).toBeInstanceOf(E2EError);
    expect(error).toMatchObject({ code: 'malformed', message: lacks ? `malformed: store.${lacks}` : 'malformed: store' });
    expect(calls).toEqual([]);
  });

  // An e2eClient's store is optional: null, as undefined, is none given (the device's store is used).
  it.each(NOT_STORES.filter((c) => c.name !== 'null'))('e2eClient(coveton, device, { store: $name }): throws at once, malformed naming store or the function it lacks ($lacks), no store called', async ({ make, lacks }) => {
    const w = await world();
    const { calls, fn } = counted();
    const before = { ...w.state.calls };
    const error = (() => {
      try {
        e2eClient(w.w.as('usr_ada'), w.ada.device, { store: make(fn) as KeyStore });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(E2EError);
    expect(error).toMatchObject({ code: 'malformed', message: lacks ? `malformed: store.${lacks}` : 'malformed: store' });
    expect(calls).toEqual([]);
    expect(w.state.calls).toEqual(before);
  });

  // A class with static methods (or any function carrying get/set/delete) is a store: the check
  // asks for the three functions, not for typeof 'object'. Both worked before the check came.
  it('a store that is a class with static methods is taken: the device is made and saved in it', async () => {
    const records = new Map<string, unknown>();
    class AppKeychain {
      static get = async (name: string) => records.get(name);
      static set = async (name: string, value: unknown) => void records.set(name, value);
      static delete = async (name: string) => void records.delete(name);
    }
    const device = await loadOrCreateDevice({ store: AppKeychain, name: 'laptop', platform: 'web' });
    expect([...records.keys()]).toEqual(['coveton-e2e/device']);
    const again = await loadOrCreateDevice({ store: AppKeychain, name: 'laptop', platform: 'web' });
    expect(again.identityKey).toEqual(device.identityKey);
    const w = await world();
    expect(() => e2eClient(w.w.as('usr_ada'), w.ada.device, { store: AppKeychain })).not.toThrow();
  });

  it("a TypeError thrown inside a real store's get is that store failing: key_store_failed, the TypeError its cause", async () => {
    const broken = new TypeError("Cannot read properties of undefined (reading 'keychain')");
    const store: KeyStore = { get: () => Promise.reject(broken), set: async () => {}, delete: async () => {} };
    const error = await rejection(() => loadOrCreateDevice({ store, name: 'laptop', platform: 'web' }));
    expect(error).toMatchObject({ code: 'key_store_failed', message: 'key_store_failed: reading coveton-e2e/device' });
    expect((error as E2EError).cause).toBe(broken);
  });
});

describe("the SDK's own stores keep their codes", () => {
  it("a key file others may read: key_store_insecure; a damaged one: key_store_invalid; a file where its folder goes: the store's own key_store_failed", async () => {
    const path = join(dir, 'keys.json');
    await loadOrCreateDevice({ store: fileKeyStore(path), name: 'server', platform: 'server' });
    chmodSync(path, 0o644);
    const insecure = await rejection(() => loadOrCreateDevice({ store: fileKeyStore(path), name: 'server', platform: 'server' }));
    expect(insecure).toMatchObject({ code: 'key_store_insecure', message: expect.stringContaining('mode 0644') });

    chmodSync(path, 0o600);
    writeFileSync(path, '{ not json');
    const invalid = await rejection(() => loadOrCreateDevice({ store: fileKeyStore(path), name: 'server', platform: 'server' }));
    expect(invalid).toMatchObject({ code: 'key_store_invalid', message: expect.stringContaining('not JSON') });

    // A write the disk refuses (the folder is a file): the store's own key_store_failed, its message kept.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const failed = await rejection(() => loadOrCreateDevice({ store: fileKeyStore(join(blocked, 'keys.json')), name: 'server', platform: 'server' }));
    expect(failed).toMatchObject({ code: 'key_store_failed', message: expect.stringMatching(/: (read|write)$/) });
  });

  it('IndexedDB where there is none: unsupported_runtime, as the store says', async () => {
    const error = await rejection(() => loadOrCreateDevice({ store: indexedDbKeyStore(), name: 'tab', platform: 'web' }));
    expect(error).toMatchObject({ code: 'unsupported_runtime', message: 'unsupported_runtime: IndexedDB' });
  });
});

describe('device.register when the save after the API call fails', () => {
  it('the next register() saves the id it was given, posts nothing again, and a restart loads the device with its id', async () => {
    const w = fakeWorld();
    const { store } = flaky();
    // A store that keeps copies, as a Keychain or a database does (the memory store keeps the
    // object, so it would see the id without a save). The saves as the device is made and before
    // its keys are published land; the third, of the id the API gave, fails.
    let sets = 0;
    const set = store.set.bind(store);
    const get = store.get.bind(store);
    store.get = async (name) => structuredClone(await get(name));
    store.set = (name, value) => (++sets === 3 ? Promise.reject(new Error('keychain locked')) : set(name, structuredClone(value)));
    const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
    expect(await rejection(() => device.register(w.as('usr_ada')))).toMatchObject({ code: 'key_store_failed' });
    expect(w.devices).toHaveLength(1);
    const again = await device.register(w.as('usr_ada'));
    expect(again).toEqual({ id: w.devices[0]!.id, userId: 'usr_ada' });
    expect(w.devices).toHaveLength(1); // not posted twice: one device on the API
    const restarted = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
    expect(restarted.id).toBe(w.devices[0]!.id);
  });
});

describe('device.register saving its id again, after a rotation in another process', () => {
  /**
   * One store's records (as a key file or an IndexedDB database) seen by a process's store object:
   * copies in and out, and `update` read, changed and written as one step (as fileKeyStore's,
   * under its lock). `fail.next` makes the next write (set or update) fail once.
   */
  function processStore(values: Map<string, unknown>, fail: { next: boolean }): KeyStore {
    const failing = () => fail.next && !(fail.next = false);
    return {
      updatesInOneStep: true,
      get: async (name) => structuredClone(values.get(name)),
      set: async (name, value) => {
        if (failing()) throw new Error('disk full');
        values.set(name, structuredClone(value));
      },
      delete: async (name) => void values.delete(name),
      update: async (name, change) => {
        if (failing()) throw new Error('disk full');
        values.set(name, structuredClone(await change(structuredClone(values.get(name)))));
      },
    };
  }

  it("keeps the key another process rotated in meanwhile: the id is saved into the record as stored, not this object's copy", async () => {
    const w = fakeWorld();
    w.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const bob = await enrol(w, 'usr_bob');
    const values = new Map<string, unknown>();
    const fail = { next: false };
    const store = processStore(values, fail);
    const device = await loadOrCreateDevice({ store, name: 'laptop', platform: 'web' });
    const ada = () => w.devices.filter((d) => d.userId === 'usr_ada');
    // The save of the id the API gave fails (the disk full just then).
    const api = w.as('usr_ada');
    const failingSave = { ...api, devices: { ...api.devices, register: async (body: Parameters<typeof api.devices.register>[0]) => ((fail.next = true), api.devices.register(body)) } };
    expect(await rejection(() => device.register(failingSave as typeof api))).toMatchObject({ code: 'key_store_failed' });
    // This process rotates (the rotation's steps carry the id into the stored record), then a
    // second process on the same file loads the device and rotates to keyId 3, published.
    expect((await device.rotateSignedPreKey(api)).keyId).toBe(2);
    const other = await loadOrCreateDevice({ store: processStore(values, fail), name: 'laptop', platform: 'web' });
    expect(other.id).toBe(device.id);
    expect((await other.rotateSignedPreKey(api)).keyId).toBe(3);
    // The first process's register() saves the id it was given, as its failed call left it to.
    expect(await device.register(api)).toEqual({ id: device.id, userId: 'usr_ada' });
    expect(ada().map((d) => d.id)).toEqual([device.id]); // posted once
    // Every published key is still in the store: Bob seals to keyId 3, and a restart opens it.
    const keyIds = (values.get('coveton-e2e/device') as { preKeys: { keyId: number }[] }).preKeys.map((k) => k.keyId);
    expect(keyIds).toEqual([1, 2, 3]);
    const sent = await bob.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain' });
    const restarted = await loadOrCreateDevice({ store: processStore(values, fail), name: 'laptop', platform: 'web' });
    expect(restarted.id).toBe(device.id);
    expect((await createE2EClient(api, restarted, processStore(values, fail)).messages.decrypt(sent)).text).toBe(SECRET);
  });

  it("refuses a store that now holds another device (reset, a new one made by another tab): key_store_invalid, that device's record left as it was", async () => {
    const w = fakeWorld();
    const values = new Map<string, unknown>();
    const fail = { next: false };
    const device = await loadOrCreateDevice({ store: processStore(values, fail), name: 'laptop', platform: 'web' });
    const api = w.as('usr_ada');
    const failingSave = { ...api, devices: { ...api.devices, register: async (body: Parameters<typeof api.devices.register>[0]) => ((fail.next = true), api.devices.register(body)) } };
    expect(await rejection(() => device.register(failingSave as typeof api))).toMatchObject({ code: 'key_store_failed' });
    // Another tab resets the store and makes a new device there (its own identity and pre-key).
    values.clear();
    await loadOrCreateDevice({ store: processStore(values, fail), name: 'tablet', platform: 'web' });
    const others = structuredClone(values.get('coveton-e2e/device'));
    // Saving this device's id (or rotating its key) into that record would pair this identity with
    // the other's pre-keys: the private half of keyId 1 this device published would be nowhere.
    const refused = { code: 'key_store_invalid', message: 'key_store_invalid: coveton-e2e/device.identityRaw' };
    expect(await rejection(() => device.register(api))).toMatchObject(refused);
    expect(await rejection(() => device.rotateSignedPreKey(api))).toMatchObject(refused);
    expect(values.get('coveton-e2e/device')).toEqual(others);
    expect(w.devices.map((d) => d.signedPreKey.keyId)).toEqual([1]); // posted once, nothing rotated
  });
});
