// The connection's own headers are refused wherever a caller gives them, before anything is
// sent, never retried. Found by a hostile review (s34 #2): the hooks' refusal (M5) did not cover
// the client's or a call's `headers`, so `Host: evil.example` reached the server with the
// credential (Node), and Transfer-Encoding or Expect failed the call as an APIConnectionError
// that was retried. One policy (src/pipeline/identity.ts) for client, call and hook headers.
import { describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/index.js';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, testClient } from '../support/client.js';

const { serve } = serverFixture();

const CONNECTION: [string, string][] = [
  ['Host', 'evil.example'],
  ['Transfer-Encoding', 'chunked'],
  ['Connection', 'close'],
  ['Keep-Alive', 'timeout=5'],
  ['Proxy-Connection', 'keep-alive'],
  ['Content-Length', '5'],
  ['Expect', '100-continue'],
  ['Upgrade', 'websocket'],
  ['TE', 'trailers'],
  ['Trailer', 'x-signature'],
  ['HTTP2-Settings', 'AAMAAABkAAQAoAAAAAIAAAAA'],
];

async function outcome(promise: Promise<unknown>) {
  return promise.then(() => 'sent', (e: unknown) => e);
}

describe("the connection's own headers, given as options", () => {
  for (const [name, value] of CONNECTION) {
    const field = `header ${JSON.stringify(name.toLowerCase())}`;
    it(`${name}: a CovetonInputError naming it, on the client and per call; nothing sent, no retry`, async () => {
      const server = await serve((req, res) => json(res, 200, apiKeyRecord));
      let retries = 0;
      const hooks = { onRetry: () => void retries++ };
      for (const call of [
        () => testClient(server.url, { hooks, headers: { [name]: value } }).apiKeys.get('key_1'),
        () => testClient(server.url, { hooks }).apiKeys.get('key_1', { headers: { [name]: value } }),
      ]) {
        const error = await outcome(call());
        expect(error).toBeInstanceOf(CovetonInputError);
        expect(error).toMatchObject({ field, message: `${field}: is not a valid header name here` });
      }
      expect(server.requests).toHaveLength(0);
      expect(retries).toBe(0);
    });
  }

  it('other headers still go, in any case, as given', async () => {
    const server = await serve((req, res) => json(res, 200, apiKeyRecord));
    await testClient(server.url, { headers: { 'X-Team': 'blue' } }).apiKeys.get('key_1', { headers: { 'Idempotency-Key': 'k1', 'X-Trace': 't1' } });
    expect(server.requests).toHaveLength(1);
    const { 'x-team': team, 'x-trace': trace, 'idempotency-key': key, host } = server.requests[0]!.headers;
    expect({ team, trace, key, host }).toEqual({ team: 'blue', trace: 't1', key: 'k1', host: new URL(server.url).host });
  });
});
