// The bottom hop: which transport each entry uses, a custom fetch winning over it, and (Node
// entry) proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY or the `proxy` option, checked with a
// forward proxy that records what went through it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APITimeoutError, createCoveton as nodeCreateCoveton, CovetonInputError } from '../../src/index.node.js';
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

  it('NO_PROXY as curl reads it: an IPv6 literal, CIDR ranges (v4 and v6), a port, a wildcard', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    const v6 = createServer((_req, res) => json(res, 200, apiKeyRecord));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      proxy = await startForwardProxy();
      vi.stubEnv('HTTP_PROXY', proxy.url);
      const v4Url = server.url;
      const v4Port = new URL(v4Url).port;
      const v6Port = (v6.address() as AddressInfo).port;
      const v6Url = `http://[::1]:${v6Port}`;
      const cases: [noProxy: string, baseUrl: string, proxied: boolean][] = [
        ['::1', v6Url, false],
        ['[::1]', v6Url, false],
        ['::1/128', v6Url, false],
        ['::/0', v6Url, false],
        [`[::1]:${v6Port}`, v6Url, false],
        ['127.0.0.0/8', v4Url, false],
        [`127.0.0.1:${v4Port}`, v4Url, false],
        ['example.com, 127.0.0.1/32', v4Url, false],
        ['*', v4Url, false],
        ['10.0.0.0/8', v4Url, true],
        ['127.0.0.1:1', v4Url, true],
        ['fe80::/10', v6Url, true],
        ['::2', v6Url, true],
      ];
      const seen: string[] = [];
      for (const [noProxy, baseUrl, proxied] of cases) {
        vi.stubEnv('NO_PROXY', noProxy);
        const before = proxy.seen.length;
        await nodeCreateCoveton({ baseUrl, apiKey: TEST_KEY, logLevel: 'off', maxRetries: 0, timeout: 5000 }).apiKeys.get('key_1');
        seen.push(`${noProxy} -> ${proxy.seen.length > before ? 'proxy' : 'direct'}`);
      }
      expect(seen).toEqual(cases.map(([noProxy, , proxied]) => `${noProxy} -> ${proxied ? 'proxy' : 'direct'}`));
    } finally {
      v6.closeAllConnections();
      await new Promise((resolve) => v6.close(resolve));
    }
  });

  it('refuses a proxy that is not an http(s) URL when the client is made, before anything is sent', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    for (const bad of ['not a url', 'socks5://127.0.0.1:1080', 'file:///etc/passwd', '', 3128, true]) {
      let error: unknown;
      try {
        client({ proxy: bad as never });
      } catch (e) {
        error = e;
      }
      expect(error, String(bad)).toBeInstanceOf(CovetonInputError);
      expect((error as CovetonInputError).field).toBe('proxy');
      expect((error as CovetonInputError).message).toContain('http(s) URL or false');
    }
    // Accepted: an http(s) URL, false, or nothing (the environment decides).
    for (const good of ['http://127.0.0.1:9', 'https://proxy.internal:3128', false, undefined] as const) client({ proxy: good });
    expect(server.requests).toHaveLength(0);
  });

  it('a proxy that closes every connection: the call ends with its timeout, the reconnecting stops, and the next call gets a new dispatcher', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    proxy = await startForwardProxy();
    proxy.drop = true;
    const coveton = client({ proxy: proxy.url, timeout: 200 });
    // undici 7 reconnects in a loop and ignores the abort: the dispatcher is destroyed STUCK_MS after it.
    const error = await coveton.apiKeys.get('key_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    // A connection undici had started as its dispatcher was destroyed may still land; after that, none.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = proxy.connections;
    expect(after).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxy.connections).toBe(after);
    // The proxy recovers: the same client goes through it again.
    proxy.drop = false;
    await expect(coveton.apiKeys.get('key_1', { timeout: 10_000 })).resolves.toMatchObject({ id: apiKeyRecord.id });
    expect(proxy.seen).toEqual([new URL(server.url).host]);
    expect(server.requests).toHaveLength(1);
  });

  it('the proxy option overrides the environment', async () => {
    server = await startFaultServer((req, res) => json(res, 200, apiKeyRecord));
    proxy = await startForwardProxy();
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9'); // nothing listens there
    await client({ proxy: proxy.url }).apiKeys.get('key_1');
    expect(proxy.seen).toEqual([new URL(server.url).host]);
  });
});
