// The mock's presigned storage keeps a bounded number of grants: each presign and download link
// adds one, and a long CI run must not grow the process by one per call.
import { describe, expect, it } from 'vitest';
import { MAX_GRANTS, createStorage } from '../../src/mock/storage.js';

const file = { size: 3, contentType: 'text/plain' };
const put = (storage: ReturnType<typeof createStorage>, path: string) =>
  storage.handle('PUT', new URL(path, 'http://mock.invalid'), {}, Buffer.from('abc'), () => file).status;

describe('mock storage grants', () => {
  it(`hold at most ${MAX_GRANTS}: past it the oldest URL stops working, the newest works`, () => {
    const storage = createStorage(() => Date.parse('2026-06-20T16:00:00Z'));
    const first = storage.grant('file_first', 'upload', 900);
    expect(put(storage, first)).toBe(200);
    let last = '';
    for (let i = 0; i < MAX_GRANTS; i++) last = storage.grant(`file_${i}`, 'upload', 900);
    expect(put(storage, first)).toBe(403);
    expect(put(storage, last)).toBe(200);
  });
});
