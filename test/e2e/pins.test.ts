// The pins of a user's identities: one stored form, [deviceId, key (hex), removedAt, compared]
// entries, the form stored before pins kept removal dates, [deviceId, key, removed], and the
// first form, an object of device id to key.
import { describe, expect, it } from 'vitest';
import { loadPins, savePins } from '../../src/e2e/trust.js';
import { memoryKeyStore } from '../../src/e2e/index.js';

describe('pins', () => {
  it('reads the entries form; the first form as active pins never compared, not as none (it was read as none before)', async () => {
    const store = memoryKeyStore();
    await store.set('coveton-e2e/pins/usr_bob', [['dev_1', 'ed01', false, true], ['dev_2', 'ed02', 1_700_000_000_000, true], ['dev_3', 'ed03', 0, false]]);
    await store.set('coveton-e2e/pins/usr_eve', { dev_3: 'ed03', dev_4: 'ed04' });
    expect([...(await loadPins(store, 'usr_bob'))]).toEqual([
      ['dev_1', { key: 'ed01', removedAt: null, compared: true, keyId: 0 }],
      ['dev_2', { key: 'ed02', removedAt: 1_700_000_000_000, compared: true, keyId: 0 }],
      ['dev_3', { key: 'ed03', removedAt: 0, compared: false, keyId: 0 }],
    ]);
    expect([...(await loadPins(store, 'usr_eve'))]).toEqual([
      ['dev_3', { key: 'ed03', removedAt: null, compared: false, keyId: 0 }],
      ['dev_4', { key: 'ed04', removedAt: null, compared: false, keyId: 0 }],
    ]);
    expect([...(await loadPins(store, 'usr_none'))]).toEqual([]);
  });

  it('reads the form before dates: removed, not dated yet (Infinity) and never compared; and writes it back so, never as a number JSON cannot hold', async () => {
    const store = memoryKeyStore();
    await store.set('coveton-e2e/pins/usr_bob', [['dev_1', 'ed01', false], ['dev_2', 'ed02', true]]);
    const pins = await loadPins(store, 'usr_bob');
    expect([...pins]).toEqual([
      ['dev_1', { key: 'ed01', removedAt: null, compared: false, keyId: 0 }],
      ['dev_2', { key: 'ed02', removedAt: Infinity, compared: false, keyId: 0 }],
    ]);
    await savePins(store, 'usr_bob', pins);
    expect(await store.get('coveton-e2e/pins/usr_bob')).toEqual([['dev_1', 'ed01', false, false, 0], ['dev_2', 'ed02', true, false, 0]]);
  });
});
