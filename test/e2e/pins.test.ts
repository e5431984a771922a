// The pins of a user's identities: one stored form, [deviceId, key (hex), removed] entries.
import { describe, expect, it } from 'vitest';
import { loadPins } from '../../src/e2e/trust.js';
import { memoryKeyStore } from '../../src/e2e/index.js';

describe('pins', () => {
  it('reads the entries form, and nothing else as pins (no release stored another)', async () => {
    const store = memoryKeyStore();
    await store.set('coveton-e2e/pins/usr_bob', [['dev_1', 'ed01', false], ['dev_2', 'ed02', true]]);
    await store.set('coveton-e2e/pins/usr_eve', { dev_3: 'ed03' });
    expect([...(await loadPins(store, 'usr_bob'))]).toEqual([
      ['dev_1', { key: 'ed01', removed: false }],
      ['dev_2', { key: 'ed02', removed: true }],
    ]);
    expect([...(await loadPins(store, 'usr_eve'))]).toEqual([]);
  });
});
