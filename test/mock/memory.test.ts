// The mock's per-call memory is bounded: each presign and download link adds a storage grant,
// each sign-in and refresh a refresh token; a long CI run must not grow the process by one per call.
import { describe, expect, it } from 'vitest';
import { MAX_GRANTS, createStorage } from '../../src/mock/storage.js';
import { MAX_REFRESH_TOKENS, createTokens } from '../../src/mock/tokens.js';

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

describe('mock refresh tokens', () => {
  it(`hold at most ${MAX_REFRESH_TOKENS}: past it the oldest is unknown (token_invalid), the newest rotates`, () => {
    const tokens = createTokens(() => Date.parse('2026-06-20T16:00:00Z'));
    const first = tokens.issue('usr_1', 'fam_first');
    let last = first;
    for (let i = 0; i < MAX_REFRESH_TOKENS; i++) last = tokens.issue('usr_1', `fam_${i}`);
    expect(() => tokens.rotate(first.refreshToken)).toThrow(/Unknown refresh token/);
    expect(tokens.rotate(last.refreshToken).userId).toBe('usr_1');
  });
});
