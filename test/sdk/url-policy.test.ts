// Where the SDK will send: no URL with credentials in it, and storage URLs from the API held to
// the API's scheme and kept away from link-local, metadata and unspecified hosts.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoveton, CovetonInputError } from '../../src/index.js';
import { TEST_KEY, testClient } from '../support/client.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';

const PASSWORD = 'hunter2-P4ssw0rd';

/** Everything an error could show: message, JSON, inspect, stack. */
const shown = (error: unknown) => {
  const e = error as Error;
  return [e.message, JSON.stringify(e), String(e.stack), inspect(e)].join('\n');
};

afterEach(() => vi.unstubAllEnvs());

describe('base URL', () => {
  it('refuses user:password@ in the base URL (option or COVETON_BASE_URL) without showing the password', () => {
    for (const baseUrl of [`https://admin:${PASSWORD}@api.coveton.com/v1`, `http://:${PASSWORD}@127.0.0.1:4010`, `https://${PASSWORD}@api.coveton.com`]) {
      let error: unknown;
      try {
        createCoveton({ baseUrl, apiKey: TEST_KEY });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CovetonInputError);
      expect((error as CovetonInputError).field).toBe('baseUrl');
      expect((error as Error).message).toMatch(/must not carry credentials/);
      expect(shown(error)).not.toContain(PASSWORD);
    }
    vi.stubEnv('COVETON_BASE_URL', `https://u:${PASSWORD}@api.coveton.com/v1`);
    expect(() => createCoveton({ apiKey: TEST_KEY })).toThrow(CovetonInputError);
  });

  it('refuses file:, data: and other schemes', () => {
    for (const baseUrl of ['file:///etc/passwd', 'data:text/plain,hi', 'ftp://example.com', 'javascript:alert(1)']) {
      expect(() => createCoveton({ baseUrl }), baseUrl).toThrow(CovetonInputError);
    }
  });
});

/** A fake network: the API's presign and download answers point at `storageUrl`; every URL is recorded. */
function fakeApi(storageUrl: string) {
  const urls: string[] = [];
  const fetch = async (request: Request) => {
    urls.push(request.url);
    if (request.url.endsWith('/files/presign')) {
      return Response.json({ fileId: 'file_1', uploadUrl: storageUrl, method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, expiresIn: 900 }, { status: 201 });
    }
    if (request.url.endsWith('/download')) {
      return Response.json({ fileId: 'file_1', url: storageUrl, expiresIn: 300, size: 4, contentType: 'application/octet-stream', filename: 'a' });
    }
    return new Response(new Uint8Array(4));
  };
  return { urls, fetch };
}

const upload = { filename: 'a.enc', contentType: 'application/octet-stream' };

describe('storage URLs from the API', () => {
  const NEIGHBOURHOOD = /points at .*, a link-local, metadata, unspecified or loopback host/;
  const refused: [string, RegExp][] = [
    [`https://user:${PASSWORD}@storage.example/f?X-Signature=s`, /must not carry credentials/],
    ['http://storage.example/f?X-Signature=s', /must be an https URL/],
    ['file:///etc/passwd', /must be an http\(s\) URL, got "file:"/],
    ['data:application/octet-stream,abcd', /must be an http\(s\) URL, got "data:"/],
    ['https://169.254.169.254/latest/meta-data/', NEIGHBOURHOOD],
    ['https://0xa9.0xfe.0xa9.0xfe/latest', NEIGHBOURHOOD], // the same address, spelled in hex
    ['https://[fe80::1]/f', NEIGHBOURHOOD],
    ['https://[febf::1]/f', NEIGHBOURHOOD],
    ['https://[::ffff:169.254.169.254]/f', NEIGHBOURHOOD],
    ['https://metadata.google.internal/computeMetadata/v1/', NEIGHBOURHOOD],
    ['https://[fd00:ec2::254]/f', NEIGHBOURHOOD],
    ['https://0.0.0.0/f', NEIGHBOURHOOD],
    ['https://127.0.0.1/f', NEIGHBOURHOOD],
    ['https://localhost/f', NEIGHBOURHOOD],
    ['https://[::ffff:127.0.0.1]/f', NEIGHBOURHOOD],
    ['https://100.100.100.200/latest/meta-data/', NEIGHBOURHOOD],
    // Found by a hostile-server review: AWS's metadata names, 169.254.169.254 and 127.0.0.1 in
    // NAT64 form (RFC 6052's 64:ff9b::/96), and the loopback names Debian's /etc/hosts carries.
    ['https://instance-data/latest/meta-data/', NEIGHBOURHOOD],
    ['https://instance-data.ec2.internal./latest/meta-data/', NEIGHBOURHOOD],
    ['https://[64:ff9b::169.254.169.254]/latest/meta-data/', NEIGHBOURHOOD],
    ['https://[64:ff9b::7f00:1]/f', NEIGHBOURHOOD],
    ['https://localhost.localdomain/f', NEIGHBOURHOOD],
    ['https://ip6-localhost/f', NEIGHBOURHOOD],
    ['https://ip6-loopback/f', NEIGHBOURHOOD],
    ['not a url', /absolute http\(s\) URL/],
  ];

  it('refuses each bad upload URL before anything is sent to it, naming the field', async () => {
    for (const [url, why] of refused) {
      const api = fakeApi(url);
      const coveton = createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY, fetch: api.fetch, logLevel: 'off' });
      const error = await coveton.files.upload(new Uint8Array(4), upload).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(CovetonInputError);
      expect((error as CovetonInputError).field, url).toBe('files.upload(uploadUrl)');
      expect((error as Error).message, url).toMatch(why);
      expect(shown(error)).not.toContain(PASSWORD);
      expect(shown(error)).not.toContain('X-Signature=s');
      expect(api.urls, url).toEqual(['https://api.coveton.test/v1/files/presign']);
    }
  });

  it('refuses a bad download URL the same way', async () => {
    for (const [url, why] of refused) {
      const api = fakeApi(url);
      const coveton = createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY, fetch: api.fetch, logLevel: 'off' });
      const error = await coveton.files.download('file_1').catch((e: unknown) => e);
      expect((error as CovetonInputError).field, url).toBe('files.download(url)');
      expect((error as Error).message, url).toMatch(why);
      expect(api.urls, url).toHaveLength(1);
    }
  });

  it('sends to an https storage host from an https API, and to http storage on loopback when the API is an http mock', async () => {
    const api = fakeApi('https://bucket.storage.example/f?X-Signature=s');
    const coveton = createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY, fetch: api.fetch, logLevel: 'off' });
    await coveton.files.upload(new Uint8Array(4), upload);
    expect(api.urls).toEqual(['https://api.coveton.test/v1/files/presign', 'https://bucket.storage.example/f?X-Signature=s']);
    // Self-hosted storage on a private address is allowed.
    const privateApi = fakeApi('https://10.0.0.5/bucket/f');
    await createCoveton({ baseUrl: 'https://api.coveton.test/v1', apiKey: TEST_KEY, fetch: privateApi.fetch, logLevel: 'off' }).files.upload(new Uint8Array(4), upload);
    expect(privateApi.urls[1]).toBe('https://10.0.0.5/bucket/f');

    let server: FaultServer | undefined;
    server = await startFaultServer((req, res) => {
      if (req.path === '/files/presign') return json(res, 201, { fileId: 'file_1', uploadUrl: `${server!.url}/storage/f`, method: 'PUT', headers: {}, expiresIn: 900 });
      res.writeHead(200).end();
    });
    try {
      await testClient(server.url).files.upload(new Uint8Array(4), upload);
      expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PUT']);
    } finally {
      await server.close();
    }
  });
});
