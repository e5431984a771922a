// The e2e entry's parts loaded on first use (files, safety numbers) whose chunk does not load: an
// offline page, a chunk gone from the CDN. The call fails with E2EError 'chunk_load_failed', and
// the next call loads the chunk and works. The unit files share one module registry, so the
// client is imported afresh (test/support/offline-chunks.ts).
import { describe, expect, it } from 'vitest';
import { offlineChunks } from '../support/offline-chunks.js';
import { fakeWorld } from './fake-api.js';

let client: typeof import('../../src/e2e/client.js');
let e2e: typeof import('../../src/e2e/index.js');
const offline = offlineChunks({ files: 'src/e2e/files.ts', identity: 'src/e2e/identity.ts' }, async () => {
  client = await import('../../src/e2e/client.js');
  e2e = await import('../../src/e2e/index.js');
});

async function code(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(e2e.E2EError);
  return (error as InstanceType<typeof e2e.E2EError>).code;
}

describe('an e2e chunk that fails to load', () => {
  it('files and safety numbers: E2EError chunk_load_failed, then the next call works', async () => {
    const world = fakeWorld();
    const make = async (userId: string) => {
      const store = e2e.memoryKeyStore();
      const device = await e2e.loadOrCreateDevice({ store, name: userId, platform: 'web' });
      await device.register(world.as(userId));
      return client.createE2EClient(world.as(userId), device, store);
    };
    const ada = await make('usr_ada');
    await make('usr_bob');
    world.chats.set('chat_1', ['usr_ada', 'usr_bob']);

    offline.fail.add('files');
    expect(await code(ada.files.upload(new Uint8Array(10).fill(1), { filename: 'a.bin' }))).toBe('chunk_load_failed');
    const file = await ada.files.upload(new Uint8Array(10).fill(1), { filename: 'a.bin' });
    expect(file).toMatchObject({ filename: 'a.bin', size: 10 });

    offline.fail.add('identity');
    expect(await code(ada.safetyNumber('usr_bob'))).toBe('chunk_load_failed');
    expect((await ada.safetyNumber('usr_bob')).digits).toHaveLength(71);
  });
});
