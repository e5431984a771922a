// A message's expiry is signed inside it: decrypt hands on the signed `expiresAt`, and refuses a
// message whose server-side `expiresAt` is not that instant (moved, dropped or added).
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/e2e/index.js';
import { adaAndBob } from './fake-api.js';

const SECRET = 'the launch code is 0000';
const AT = '2030-01-02T03:04:05.678Z';

async function setUp() {
  const { ada, bob } = await adaAndBob();
  const send = (expiresAt?: string) => ada.client.messages.send({ chatId: 'chat_1', plaintext: SECRET, contentType: 'text/plain', ...(expiresAt ? { expiresAt } : {}) });
  const outcome = (message: StoredMessage) =>
    bob.client.messages.decrypt(message).then(
      (d) => `opened, expiresAt ${d.expiresAt}`,
      (e: { name?: string; code?: string }) => `${e.name}:${e.code}`,
    );
  return { send, outcome };
}

describe('expiresAt', () => {
  it('the signed expiry comes back with the plaintext (null for a message that does not expire), whatever form of the instant the server returns', async () => {
    const { send, outcome } = await setUp();
    const expiring = await send(AT);
    const lasting = await send();
    expect(await outcome(expiring)).toBe(`opened, expiresAt ${Date.parse(AT)}`);
    expect(await outcome({ ...expiring, expiresAt: '2030-01-02T05:04:05.678+02:00' })).toBe(`opened, expiresAt ${Date.parse(AT)}`);
    expect(await outcome(lasting)).toBe('opened, expiresAt null');
    expect(await outcome({ ...lasting, expiresAt: null })).toBe('opened, expiresAt null');
  });

  it('a server-side expiresAt other than the signed one (moved, dropped, or added): decrypt_failed, nothing opened', async () => {
    const { send, outcome } = await setUp();
    const expiring = await send(AT);
    const lasting = await send();
    const got = [
      await outcome({ ...expiring, expiresAt: '2031-01-02T03:04:05.678Z' }),
      await outcome({ ...expiring, expiresAt: '2030-01-02T03:04:05.677Z' }),
      await outcome({ ...expiring, expiresAt: null }),
      await outcome({ ...expiring, expiresAt: undefined }),
      await outcome({ ...lasting, expiresAt: AT }),
    ];
    expect(got).toEqual(Array(5).fill('E2EError:decrypt_failed'));
  });
});
