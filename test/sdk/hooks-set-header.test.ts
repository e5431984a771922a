// What an `onRequest` hook's setHeader refuses. Hooks observe, they never change a call's
// outcome; found by a hostile review (#4): a value with CR/LF or a character above U+00FF
// failed the whole call with a CovetonInputError (at the header check, unsent, with no hook
// failure logged), and setHeader('Authorization' | 'X-API-Key', ...) replaced or suppressed the
// SDK's own credential. setHeader now refuses both itself: the throw is inside the hook, so it
// is logged as a hook failure and the call goes on, with the SDK's credential. The same for the
// connection's own headers (Host, the framing and hop-by-hop ones), below.
import { describe, expect, it } from 'vitest';
import { apiError, json, serverFixture } from '../support/fault-server.js';
import { apiKeyBody, apiKeyRecord, TEST_KEY, testClient } from '../support/client.js';
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

  // Found by a hostile review (M5): the connection's own headers went through. undici refuses
  // most of them (transfer-encoding, connection, keep-alive, upgrade, expect, a content-length
  // that is not the body's), so the whole call failed as a connection error and was retried;
  // and `host` sent the credentialed request to the server as another host.
  for (const [name, value] of [
    ['Host', 'evil.example'],
    ['Connection', 'close, x-trace'],
    ['Keep-Alive', 'timeout=5'],
    ['Transfer-Encoding', 'chunked'],
    ['Upgrade', 'websocket'],
    ['TE', 'trailers'],
    ['Trailer', 'x-signature'],
    ['Expect', '100-continue'],
    ['Content-Length', '5'],
  ] as const) {
    it(`${name}: refused, logged as a hook failure; the call goes as the transport frames it and succeeds`, async () => {
      const { key, warnings, requests } = await withHook((e) => e.setHeader(name, value));
      expect(key.id).toBe(apiKeyRecord.id);
      expect(warnings).toEqual([hookFailed]);
      expect(requests).toHaveLength(1);
      const sent = requests[0]!.headers;
      expect(sent.host).not.toBe('evil.example');
      for (const framing of ['transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'content-length']) expect(sent).not.toHaveProperty(framing);
      expect(sent.authorization).toBe(`Bearer ${TEST_KEY}`);
    });
  }

  // Found by a hostile review (s34 #1): what the request means or how it is retried went
  // through. A hook setting its own Idempotency-Key per attempt made each retry of a POST a new
  // request (the server ran it twice); a method override or a content type changed what the
  // server did; `proxy-connection` and `http2-settings` are the connection's own.
  it('Idempotency-Key per attempt: refused; both attempts of a retried POST carry the call\'s one key', async () => {
    const server = await serve((req, res, i) => (i === 0 ? apiError(res, 503, 'INTERNAL', 'busy') : json(res, 201, apiKeyRecord)));
    const warnings: unknown[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (message, data) => void warnings.push([message, data]), error: () => {} };
    let n = 0;
    const coveton = testClient(server.url, { logger, logLevel: 'warn', backoff: { initialDelay: 0, maxDelay: 0 }, hooks: { onRequest: (e) => e.setHeader('Idempotency-Key', `hook-${n++}`) } });
    await coveton.apiKeys.create(apiKeyBody, { idempotencyKey: 'order-42' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-42']);
    expect(warnings).toEqual([hookFailed, hookFailed]);
  });

  for (const [name, value] of [
    ['Content-Type', 'text/plain'],
    ['Content-Encoding', 'gzip'],
    ['X-HTTP-Method-Override', 'DELETE'],
    ['X-HTTP-Method', 'DELETE'],
    ['X-Method-Override', 'DELETE'],
    ['Proxy-Connection', 'close'],
    ['HTTP2-Settings', 'AAMAAABkAAQAoAAAAAIAAAAA'],
  ] as const) {
    it(`${name}: refused, logged as a hook failure; the call goes as the SDK made it`, async () => {
      const { key, warnings, requests } = await withHook((e) => e.setHeader(name, value));
      expect(key.id).toBe(apiKeyRecord.id);
      expect(warnings).toEqual([hookFailed]);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.method).toBe('GET');
      expect(requests[0]!.headers[name.toLowerCase()]).not.toBe(value);
    });
  }

  it('a good header still goes, in any case, as the name in lower case', async () => {
    const { warnings, requests } = await withHook((e) => e.setHeader('TraceParent', '00-abc-01'));
    expect(warnings).toEqual([]);
    expect(requests[0]!.headers.traceparent).toBe('00-abc-01');
  });
});
