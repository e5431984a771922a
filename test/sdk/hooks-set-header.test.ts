// What an `onRequest` hook's setHeader refuses. Hooks observe, they never change a call's
// outcome; found by a hostile review (#4): a value with CR/LF or a character above U+00FF
// failed the whole call with a CovetonInputError (at the header check, unsent, with no hook
// failure logged), and setHeader('Authorization' | 'X-API-Key', ...) replaced or suppressed the
// SDK's own credential. setHeader now refuses both itself: the throw is inside the hook, so it
// is logged as a hook failure and the call goes on, with the SDK's credential.
import { describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, TEST_KEY, testClient } from '../support/client.js';
import type { Logger } from '../../src/public/logger.js';
import type { RequestEvent } from '../../src/public/events.js';

const { serve } = serverFixture();

async function withHook(set: (e: RequestEvent) => void, options: { apiKeyHeader?: 'x-api-key' } = {}) {
  const server = await serve((req, res) => json(res, 200, apiKeyRecord));
  const warnings: unknown[] = [];
  const logger: Logger = { debug: () => {}, info: () => {}, warn: (message, data) => void warnings.push([message, data]), error: () => {} };
  const coveton = testClient(server.url, { ...options, logger, logLevel: 'warn', hooks: { onRequest: set } });
  const key = await coveton.apiKeys.get('key_1');
  return { key, warnings, requests: server.requests };
}

const hookFailed = ['[coveton] a hook failed; the call goes on', { hook: 'onRequest', error: 'CovetonInputError' }];

describe('setHeader refuses, inside the hook, what would change the outcome', () => {
  for (const [what, name, value] of [
    ['a character above U+00FF', 'x-trace', 'trace→id'],
    ['CR LF', 'x-trace', 'a\r\nb'],
    ['NUL', 'x-trace', 'a\0b'],
    ['a name that is not a token', 'x trace', 'id'],
    ['a value that is not a string', 'x-trace', 42 as unknown as string],
  ] as const) {
    it(`${what}: logged as a hook failure, the call is sent without it and succeeds`, async () => {
      const { key, warnings, requests } = await withHook((e) => e.setHeader(name, value));
      expect(key.id).toBe(apiKeyRecord.id);
      expect(warnings).toEqual([hookFailed]);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.headers).not.toHaveProperty('x-trace');
      expect(requests[0]!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    });
  }

  for (const name of ['Authorization', 'X-API-Key', 'Cookie', 'Proxy-Authorization']) {
    it(`${name}: refused; the SDK's own credential goes`, async () => {
      for (const apiKeyHeader of [undefined, 'x-api-key'] as const) {
        const { warnings, requests } = await withHook((e) => e.setHeader(name, 'Bearer someone-else'), { apiKeyHeader });
        expect(warnings).toEqual([hookFailed]);
        const { authorization, 'x-api-key': xApiKey, cookie, 'proxy-authorization': proxy } = requests[0]!.headers;
        expect({ authorization, xApiKey, cookie, proxy }).toEqual(
          apiKeyHeader ? { authorization: undefined, xApiKey: TEST_KEY, cookie: undefined, proxy: undefined } : { authorization: `Bearer ${TEST_KEY}`, xApiKey: undefined, cookie: undefined, proxy: undefined },
        );
      }
    });
  }

  it('a good header still goes, in any case, as the name in lower case', async () => {
    const { warnings, requests } = await withHook((e) => e.setHeader('TraceParent', '00-abc-01'));
    expect(warnings).toEqual([]);
    expect(requests[0]!.headers.traceparent).toBe('00-abc-01');
  });
});
