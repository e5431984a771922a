// The default logger is `console`: what a user sees is the line console prints, and a message
// without data is that message alone (it printed a trailing "undefined": new-user review,
// finding 6).
import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton } from '../../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const answer = async () => new Response('{"msg":"Auth successful"}', { headers: { 'Content-Type': 'application/json' } });

describe('the default logger (console)', () => {
  it('prints a message without data as the message alone, and a message with data as console prints both', async () => {
    vi.stubEnv('COVETON_API_KEY', '');
    const printed: string[] = [];
    // console.warn prints util.format of its arguments: the line a user reads.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
    const coveton = createCoveton({ baseUrl: 'https://api.example.test/v1', fetch: answer, maxRetries: 0 });
    await coveton.utils.testAuth({
      hooks: {
        onRequest: () => {
          throw new TypeError('boom');
        },
      },
    });
    expect(printed).toEqual([
      "[coveton] a hook failed; the call goes on { hook: 'onRequest', error: 'TypeError' }",
      '[coveton] no credential: pass apiKey or sign in with session.login()',
    ]);
  });
});
