// The Node file key store (`@coveton/sdk/e2e/node`): a device survives a restart through it, the
// file is 0600 and replaced whole by rename, and a file others may read or that is damaged is
// refused with a typed error. Processes sharing the file lose none of each other's writes.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { fileKeyStore } from '../../src/e2e/node-file-key-store.js';
import { E2EError, loadOrCreateDevice, memoryKeyStore } from '../../src/e2e/index.js';
import { enrol, fakeWorld } from './fake-api.js';
import { overlappingRotations } from './support/rotations.js';

const dir = mkdtempSync(join(tmpdir(), 'coveton-key-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `device-${++n}`, 'keys.json');

async function failure(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof E2EError) return error.code;
    throw error;
  }
  throw new Error('no error');
}

describe('fileKeyStore', () => {
  it('keeps a device across a restart: same keys, 0600, private keys read back non-extractable, rotation written again', async () => {
    const path = fresh();
    const world = fakeWorld();
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const first = await loadOrCreateDevice({ store: fileKeyStore(path), name: "Bob's server", platform: 'server' });
    await first.register(world.as('usr_bob'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('"format":"coveton-e2e-key-store"');

    // A new process, as far as the store can tell: a new store over the same file.
    const store = fileKeyStore(path);
    const again = await loadOrCreateDevice({ store, name: 'ignored', platform: 'server' });
    expect({ id: again.id, userId: again.userId, identityKey: again.identityKey, name: again.name }).toEqual({ id: first.id, userId: 'usr_bob', identityKey: first.identityKey, name: "Bob's server" });
    const record = (await store.get('coveton-e2e/device')) as { identity: CryptoKeyPair; preKeys: { pair: CryptoKeyPair }[] };
    expect([record.identity.privateKey.extractable, record.preKeys[0]!.pair.privateKey.extractable]).toEqual([false, false]);

    // It opens what Ada seals to it, and rotates (the loaded, non-extractable keys are written again).
    const adaStore = memoryKeyStore();
    const ada = await loadOrCreateDevice({ store: adaStore, name: 'Ada', platform: 'web' });
    await ada.register(world.as('usr_ada'));
    const sent = await createE2EClient(world.as('usr_ada'), ada, adaStore).messages.send({ chatId: 'chat_1', plaintext: 'kept', contentType: 'text/plain' });
    expect((await createE2EClient(world.as('usr_bob'), again, store).messages.decrypt(sent)).text).toBe('kept');
    const rotated = await again.rotateSignedPreKey(world.as('usr_bob'));
    const third = await loadOrCreateDevice({ store: fileKeyStore(path), name: 'ignored', platform: 'server' });
    expect(third.identityKey).toBe(first.identityKey);
    const saved = JSON.parse(readFileSync(path, 'utf8')).values['coveton-e2e/device'];
    expect(saved.preKeys.map((k: { keyId: number }) => k.keyId)).toEqual([1, rotated.keyId]);
  });

  it('replaces the file whole by rename (a new inode, no temporary file left), writes in call order', async () => {
    const path = fresh();
    const store = fileKeyStore(path);
    await store.set('a', { n: 1 });
    const before = statSync(path).ino;
    await Promise.all([store.set('b', new Uint8Array([1, 2, 3])), store.set('a', { n: 2 }), store.delete('b')]);
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(join(path, '..'))).toEqual(['keys.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).values).toEqual({ a: { n: 2 } });
    expect(await fileKeyStore(path).get('a')).toEqual({ n: 2 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps objects whose property names look like its own encoding ($key, $bytes) or like prototypes, exactly, across a reload', async () => {
    const path = fresh();
    const names = ['$key', '$bytes', '__proto__', 'constructor', '$$x', 'plain'];
    const value: Record<string, unknown> = {};
    for (const [i, name] of names.entries()) Object.defineProperty(value, name, { value: { n: i, raw: new Uint8Array([i]) }, enumerable: true, writable: true, configurable: true });
    await fileKeyStore(path).set('v', value);
    await fileKeyStore(path).set('w', { $key: 'text', $bytes: 'text' });
    const back = (await fileKeyStore(path).get('v')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(names);
    for (const [i, name] of names.entries()) expect([name, Object.getOwnPropertyDescriptor(back, name)?.value]).toEqual([name, { n: i, raw: new Uint8Array([i]) }]);
    expect(await fileKeyStore(path).get('w')).toEqual({ $key: 'text', $bytes: 'text' });
  });

  it('refuses a file others may read or write (key_store_insecure) and reads it once it is 0600', async () => {
    const path = fresh();
    await fileKeyStore(path).set('a', 1);
    chmodSync(path, 0o644);
    const store = fileKeyStore(path);
    expect(await failure(() => store.get('a'))).toBe('key_store_insecure');
    expect(await failure(() => store.set('a', 2))).toBe('key_store_insecure');
    expect(statSync(path).mode & 0o777).toBe(0o644); // left as it was, not rewritten
    chmodSync(path, 0o600);
    expect(await store.get('a')).toBe(1);
  });

  it('refuses a damaged or foreign file, and a value it cannot hold (key_store_invalid)', async () => {
    const cases: [string, string][] = [
      ['not JSON', '{"format":"coveton-e2e-key-store",'],
      ['another format', JSON.stringify({ format: 'something-else', version: 1, values: {} })],
      ['another version', JSON.stringify({ format: 'coveton-e2e-key-store', version: 2, values: {} })],
      ['a key that does not import', JSON.stringify({ format: 'coveton-e2e-key-store', version: 1, values: { k: { $key: { algorithm: 'Ed25519', type: 'private', usages: ['sign'], bytes: 'AAAA' } } } })],
      ['a key of another kind', JSON.stringify({ format: 'coveton-e2e-key-store', version: 1, values: { k: { $key: { algorithm: 'RSA', type: 'private', usages: [], bytes: '' } } } })],
    ];
    for (const [what, text] of cases) {
      const path = fresh();
      await fileKeyStore(path).set('x', 1);
      writeFileSync(path, text, { mode: 0o600 });
      expect([what, await failure(() => fileKeyStore(path).get('k'))]).toEqual([what, 'key_store_invalid']);
    }
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    expect(await failure(() => fileKeyStore(fresh()).set('k', pair))).toBe('key_store_invalid');
    expect(await failure(() => fileKeyStore(fresh()).set('k', () => 1))).toBe('key_store_invalid');
  });

  it('two processes writing one file at once lose none of each other\'s records (a lock file orders them)', async () => {
    const path = fresh();
    const writer = fileURLToPath(new URL('./support/file-store-writer.ts', import.meta.url));
    const start = (prefix: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path, prefix, '40'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk));
      const said = (line: string) => new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(line) ? resolve() : child.exitCode !== null ? reject(new Error(`exited: ${out}`)) : setTimeout(check, 10));
        check();
      });
      return { child, said };
    };
    const [a, b] = [start('a'), start('b')];
    await Promise.all([a.said('ready'), b.said('ready')]);
    a.child.stdin.write('go\n');
    b.child.stdin.write('go\n');
    await Promise.all([a.said('done'), b.said('done')]);
    const values = JSON.parse(readFileSync(path, 'utf8')).values;
    const expected = ['a', 'b'].flatMap((p) => Array.from({ length: 40 }, (_, i) => `${p}/${i}`)).sort();
    expect(Object.keys(values).sort()).toEqual(expected);
    expect(await fileKeyStore(path).get('b/39')).toEqual({ i: 39, bytes: new Uint8Array([39]) });
    expect(readdirSync(join(path, '..'))).toEqual(['keys.json']); // no lock or temporary file left
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('two rotations at once from two stores on one file (two processes): two keyIds, every published private half kept', async () => {
    const path = fresh();
    const world = fakeWorld();
    const first = await loadOrCreateDevice({ store: fileKeyStore(path), name: "Bob's server", platform: 'server' });
    await first.register(world.as('usr_bob'));
    const a = await loadOrCreateDevice({ store: fileKeyStore(path), name: 'ignored', platform: 'server' });
    const b = await loadOrCreateDevice({ store: fileKeyStore(path), name: 'ignored', platform: 'server' });
    // Before: both read keyId 1 and published keyId 2, and the file kept one of the two private halves.
    expect(await overlappingRotations(world, [a, b], fileKeyStore(path))).toEqual({ failed: [], attempts: [2, 3], stored: [1, 2, 3], publishedKept: true, pending: [] });
  });

  it('reads what another store on the file wrote since, and a write keeps it', async () => {
    const path = fresh();
    const [one, other] = [fileKeyStore(path), fileKeyStore(path)];
    expect(await one.get('x')).toBeUndefined();
    await other.set('x', { n: 1 });
    expect(await one.get('x')).toEqual({ n: 1 });
    await one.set('y', 2);
    await other.set('x', { n: 3 });
    await one.delete('y');
    expect(JSON.parse(readFileSync(path, 'utf8')).values).toEqual({ x: { n: 3 } });
    // What a get answers is a copy: changing it changes neither the file nor the next get.
    const got = (await one.get('x')) as { n: number };
    got.n = 99;
    expect(await one.get('x')).toEqual({ n: 3 });
  });

  it('waits for a held lock, and takes over one left by a process that stopped (older than 10 s)', async () => {
    const path = fresh();
    await fileKeyStore(path).set('a', 1);
    writeFileSync(`${path}.lock`, '', { mode: 0o600 });
    let done = false;
    const waiting = fileKeyStore(path).set('b', 2).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([done, JSON.parse(readFileSync(path, 'utf8')).values]).toEqual([false, { a: 1 }]);
    rmSync(`${path}.lock`);
    await waiting;
    expect(JSON.parse(readFileSync(path, 'utf8')).values).toEqual({ a: 1, b: 2 });

    writeFileSync(`${path}.lock`, '', { mode: 0o600 });
    const old = (Date.now() - 11_000) / 1000;
    utimesSync(`${path}.lock`, old, old);
    await fileKeyStore(path).set('c', 3);
    expect(JSON.parse(readFileSync(path, 'utf8')).values).toEqual({ a: 1, b: 2, c: 3 });
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a rotation in one process survives a decrypt in another (whose replay record write used to put back its first read of the file)', async () => {
    const path = fresh();
    const world = fakeWorld();
    const ada = await enrol(world, 'usr_ada');
    const devA = await loadOrCreateDevice({ store: fileKeyStore(path), name: 'bob', platform: 'server' });
    await devA.register(world.as('usr_bob'));
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);
    const storeB = fileKeyStore(path);
    const devB = await loadOrCreateDevice({ store: storeB, name: 'bob', platform: 'server' });
    const first = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'before', contentType: 'text/plain' });
    expect((await devA.rotateSignedPreKey(world.as('usr_bob'))).keyId).toBe(2);
    expect((await createE2EClient(world.as('usr_bob'), devB, storeB).messages.decrypt(first)).text).toBe('before');
    const second = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'after', contentType: 'text/plain' });
    // Process B opens what is sealed to A's new key too, and so does a restart.
    expect((await createE2EClient(world.as('usr_bob'), devB, storeB).messages.decrypt(second)).text).toBe('after');
    const storeC = fileKeyStore(path);
    const devC = await loadOrCreateDevice({ store: storeC, name: 'bob', platform: 'server' });
    const third = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'restarted', contentType: 'text/plain' });
    expect((await createE2EClient(world.as('usr_bob'), devC, storeC).messages.decrypt(third)).text).toBe('restarted');
    expect(JSON.parse(readFileSync(path, 'utf8')).values['coveton-e2e/device'].preKeys.map((k: { keyId: number }) => k.keyId)).toEqual([1, 2]);
  });

  it('a device record that lacks its keys is key_store_invalid, not a TypeError', async () => {
    const path = fresh();
    await fileKeyStore(path).set('x', 1);
    writeFileSync(path, JSON.stringify({ format: 'coveton-e2e-key-store', version: 1, values: { 'coveton-e2e/device': { format: 1, name: 'x' } } }), { mode: 0o600 });
    expect(await failure(() => loadOrCreateDevice({ store: fileKeyStore(path), name: 'x', platform: 'server' }))).toBe('key_store_invalid');
  });
});
