// Runtime differences that must not break or endanger a client: an environment that refuses to
// be read (Deno without --allow-env), and a browser page, where an API key would be public.
// The real runtimes run the same checks in test/runtimes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton, CovetonInputError } from '../../src/index.js';
import { readEnv } from '../../src/util/env.js';
import { isBrowserPage } from '../../src/util/runtime.js';
import { TEST_KEY } from '../support/client.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('reading the environment never throws', () => {
  it('a process.env that throws on read (Deno 2 without --allow-env) reads as unset', () => {
    const env = new Proxy({}, { get: () => { throw Object.assign(new Error('Requires env access'), { name: 'NotCapable' }); } });
    vi.stubGlobal('process', { ...process, env });
    expect(readEnv('COVETON_API_KEY')).toBeUndefined();
    expect(() => createCoveton({ baseUrl: 'http://127.0.0.1:4010', apiKey: TEST_KEY })).not.toThrow();
  });

  it('asks Deno for the permission first and reads nothing (no prompt) when it is not granted', () => {
    vi.stubEnv('COVETON_LOG', 'debug');
    const asked: string[] = [];
    vi.stubGlobal('Deno', { permissions: { querySync: ({ variable }: { variable: string }) => (asked.push(variable), { state: 'prompt' }) } });
    expect(readEnv('COVETON_LOG')).toBeUndefined();
    expect(asked).toEqual(['COVETON_LOG']);
    vi.stubGlobal('Deno', { permissions: { querySync: () => ({ state: 'granted' }) } });
    expect(readEnv('COVETON_LOG')).toBe('debug');
  });

  it('no process at all (browsers, workers) reads as unset', () => {
    vi.stubGlobal('process', undefined);
    expect(readEnv('COVETON_API_KEY')).toBeUndefined();
  });
});

describe('an API key in a browser page', () => {
  const asBrowser = () => {
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
  };

  it('is refused unless dangerouslyAllowBrowser is true, pointing to user sessions', () => {
    asBrowser();
    expect(isBrowserPage()).toBe(true);
    let error: unknown;
    try {
      createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CovetonInputError);
    expect((error as CovetonInputError).field).toBe('apiKey');
    expect((error as Error).message).toMatch(/coveton\.session\.login/);
    expect((error as Error).message).toMatch(/dangerouslyAllowBrowser: true/);
    expect((error as Error).message).not.toContain(TEST_KEY);
    expect(() => createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY, dangerouslyAllowBrowser: true })).not.toThrow();
    // Without a key (a signed-in user's session) there is nothing to refuse.
    expect(() => createCoveton({ baseUrl: 'https://api.coveton.test/v1' })).not.toThrow();
    expect(() => createCoveton({ baseUrl: 'https://api.coveton.test/v1', accessToken: 'a.b.c', refreshToken: 'rt_x' })).not.toThrow();
  });

  it('a key from COVETON_API_KEY is refused in a browser page too', () => {
    asBrowser();
    vi.stubEnv('COVETON_API_KEY', TEST_KEY);
    expect(() => createCoveton({ baseUrl: 'https://api.coveton.test/v1' })).toThrow(CovetonInputError);
  });

  it('workers, Deno and Bun are not browser pages', () => {
    expect(isBrowserPage()).toBe(false); // Node
    vi.stubGlobal('window', {}); // Deno 1 had a window, but no document
    expect(isBrowserPage()).toBe(false);
    vi.stubGlobal('document', {});
    vi.stubGlobal('Deno', {});
    expect(isBrowserPage()).toBe(false);
    vi.stubGlobal('Deno', undefined);
    vi.stubGlobal('Bun', {});
    expect(isBrowserPage()).toBe(false);
    vi.stubGlobal('Bun', undefined);
    vi.stubGlobal('window', undefined); // a Web Worker: self, but neither window nor document
    expect(isBrowserPage()).toBe(false);
  });
});
