// Hooks that could never fire are refused before anything is sent. Found by a hostile review
// (#9): an array of hook objects, or a misspelt key (`onrequest`), was taken without a word and
// no hook ever ran. A key that is no hook name and does not read as one (state the hooks keep
// for themselves, even when its name begins with "on") is still allowed.
import { describe, expect, it } from 'vitest';
import { CovetonInputError, type Hooks } from '../../src/index.js';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, testClient } from '../support/client.js';

const { serve } = serverFixture();
const onRequest = () => {};

describe('hooks that could never fire', () => {
  it('an array of hook objects is refused, on the client and per call', async () => {
    const server = await serve((req, res) => json(res, 200, apiKeyRecord));
    expect(() => testClient(server.url, { hooks: [{ onRequest }, { onRequest }] as never })).toThrow(
      new CovetonInputError('hooks', 'must be an object whose onRequest, onResponse and onRetry are functions'),
    );
    const coveton = testClient(server.url);
    await expect(coveton.apiKeys.get('key_1', { hooks: [{ onRequest }] as never })).rejects.toThrow(
      new CovetonInputError('options.hooks', 'must be an object whose onRequest, onResponse and onRetry are functions'),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('a key that reads as a hook but is none is refused, naming it', async () => {
    const server = await serve((req, res) => json(res, 200, apiKeyRecord));
    // Found by a hostile review (s34 #5): the DOM habit `onerror`, `onsuccess`, misspellings in
    // lower case and `OnError` passed silently and never fired.
    for (const key of ['onrequest', 'onResponce', 'onError', 'ONRETRY', 'OnRequest', 'onerror', 'onsuccess', 'onresponce', 'onretries', 'OnError', 'ONERROR', 'onReqest']) {
      const error = (() => {
        try {
          testClient(server.url, { hooks: { [key]: onRequest } as Hooks });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(CovetonInputError);
      expect(error).toMatchObject({ field: `hooks.${key}`, message: `hooks.${key}: is not a hook: onRequest, onResponse or onRetry` });
      await expect(testClient(server.url).apiKeys.get('key_1', { hooks: { onRequest, [key]: onRequest } as Hooks })).rejects.toMatchObject({ field: `options.hooks.${key}` });
    }
    expect(server.requests).toHaveLength(0);
  });

  it('other keys, the hooks\' own state, are allowed and the hooks run with it', async () => {
    const server = await serve((req, res) => json(res, 200, apiKeyRecord));
    const hooks = {
      seen: [] as string[],
      onRequest(this: { seen: string[] }, e: { endpoint: string }) {
        this.seen.push(e.endpoint);
      },
    };
    await testClient(server.url, { hooks: hooks as Hooks }).apiKeys.get('key_1');
    expect(hooks.seen).toEqual(['GET /api-keys/{id}']);
  });

  // Found by a review of the check above: every key starting with "on" was taken for a hook, so
  // state whose name merely begins so (`ongoing`) failed the client; and (hostile review s34
  // #5) `onHold: []` was refused as `on` and a capital letter. A key reads as a hook only when
  // it holds a function and begins with "on" in any case.
  it('state under an "on" name, and helpers not named "on...", are allowed, on the client and per call', async () => {
    const server = await serve((req, res) => json(res, 200, apiKeyRecord));
    const hooks = {
      ongoing: new Set<string>(),
      once: true,
      onboarding: 'done',
      onHold: [] as string[],
      onPremise: false,
      OnCall: undefined,
      track(this: { ongoing: Set<string> }, endpoint: string) {
        this.ongoing.add(endpoint);
      },
      onRequest(this: { track(endpoint: string): void }, e: { endpoint: string }) {
        this.track(e.endpoint);
      },
    };
    await testClient(server.url, { hooks: hooks as Hooks }).apiKeys.get('key_1');
    await testClient(server.url).apiKeys.delete('key_1', { hooks: hooks as Hooks });
    expect([...hooks.ongoing]).toEqual(['GET /api-keys/{id}', 'DELETE /api-keys/{id}']);
    expect(server.requests).toHaveLength(2);
  });
});
