// Pins and replay records a store gives back damaged (a bad migration, a half-written Keychain
// item, a hand-edited key file): the decrypt fails with E2EError key_store_invalid naming the
// record, its cause the TypeError the read met, never the bare TypeError. (Damaged device records
// are device.ts's.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createE2EClient } from '../../src/e2e/client.js';
import { fileKeyStore } from '../../src/e2e/node-file-key-store.js';
import { E2EError, type KeyStore } from '../../src/e2e/index.js';
import { adaAndBob } from './fake-api.js';

const dir = mkdtempSync(join(tmpdir(), 'coveton-damaged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** How Bob's decrypt of a message from Ada ends once record `name` (of Bob's store, or of a key file holding only it) is `value`. */
async function decryptWith(record: 'pins' | 'seen', value: unknown, where: 'memory' | 'file') {
  const { world, ada, bob } = await adaAndBob();
  const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hi', contentType: 'text/plain' });
  const name = record === 'pins' ? 'coveton-e2e/pins/usr_ada' : `coveton-e2e/seen/${ada.id}`;
  let store: KeyStore = bob.store;
  if (where === 'file') {
    const path = join(dir, `keys-${++n}.json`);
    writeFileSync(path, JSON.stringify({ format: 'coveton-e2e-key-store', version: 1, values: { [name]: value } }), { mode: 0o600 });
    store = fileKeyStore(path);
  } else await store.set(name, value);
  try {
    await createE2EClient(world.as('usr_bob'), bob.device, store, { onWarning: () => {} }).messages.decrypt(sent);
    return 'opened';
  } catch (error) {
    if (!(error instanceof E2EError)) return `not an E2EError: ${String(error)}`;
    return { code: error.code, message: error.message, cause: (error.cause as Error)?.name };
  }
}

describe('damaged pins and replay records', () => {
  it.each([
    ['pins', [5], 'memory'],
    ['pins', [null], 'memory'],
    ['pins', [1], 'file'],
    ['seen', [], 'memory'],
    ['seen', [0, 5], 'memory'],
    ['seen', [null, null], 'memory'],
    ['seen', [null, { a: 1 }], 'file'],
  ] as const)('%s record %j (%s store): key_store_invalid naming the record', async (record, value, where) => {
    const name = record === 'pins' ? 'coveton-e2e/pins/usr_ada' : 'coveton-e2e/seen/dev_1';
    // Before: a bare TypeError (number 5 is not iterable, seen.find is not a function, ...).
    expect(await decryptWith(record, value, where)).toEqual({ code: 'key_store_invalid', message: `key_store_invalid: ${name}`, cause: 'TypeError' });
  });

  it('records of the forms earlier releases stored still read', async () => {
    expect(await decryptWith('pins', { dev_1: 'not the key' }, 'memory')).toBe('opened'); // a changed key, let through by 'warn'
    expect(await decryptWith('seen', [null, []], 'file')).toBe('opened');
    expect(await decryptWith('seen', [5, [['00', 'msg_0', null]]], 'memory')).toBe('opened');
  });
});
