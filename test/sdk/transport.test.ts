// The bottom hop: which transport each entry uses, a custom fetch winning over it, and (Node
// entry) proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY or the `proxy` option, checked with a
// forward proxy that records what went through it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton as nodeCreateCoveton } from '../../src/index.node.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.js';
import { TEST_KEY, TRANSPORT, apiKeyRecord, testClient } from '../support/client.js';

let server: FaultServer;
let proxy: ForwardProxy | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await server?.close();
  await proxy?.close();
  proxy = undefined;
});

describe(`transport (${TRANSPORT})`, () => {
  it('the entry under test sends through its own transport; a custom fetch always wins', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const spy = vi.spyOn(globalThis, 'fetch');
    await testClient(server.url).apiKeys.get('key_1');
    expect(spy).toHaveBeenCalledTimes(TRANSPORT === 'undici' ? 0 : 1);
    let custom = 0;
    const viaCustom = testClient(server.url, { fetch: (request) => (custom++, globalThis.fetch(request)) });
    await viaCustom.apiKeys.get('key_1');
    expect(custom).toBe(1);
    expect(server.requests).toHaveLength(2);
  });
});

describe.runIf(TRANSPORT === 'undici')('proxies (Node entry)', () => {
  const client = (options: Parameters<typeof nodeCreateCoveton>[0] = {}) =>
    nodeCreateCoveton({ baseUrl: server.url, apiKey: TEST_KEY, logLevel: 'off', maxRetries: 0, ...options });

  it('HTTP_PROXY sends API calls through the proxy; NO_PROXY exempts the host; proxy: false ignores both', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    proxy = await startForwardProxy();
    const host = new URL(server.url).host;
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '');
    await client().apiKeys.get('key_1');
    expect(proxy.seen).toEqual([host]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);

    vi.stubEnv('NO_PROXY', '127.0.0.1');
    await client().apiKeys.get('key_1');
    vi.stubEnv('NO_PROXY', '');
    await client({ proxy: false }).apiKeys.get('key_1');
    expect(proxy.seen).toEqual([host]);
    expect(server.requests).toHaveLength(3);
  });

  it('the proxy option overrides the environment', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    proxy = await startForwardProxy();
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9'); // nothing listens there
    await client({ proxy: proxy.url }).apiKeys.get('key_1');
    expect(proxy.seen).toEqual([new URL(server.url).host]);
  });
});
