// Hooks never see a secret (docs/guides/hooks-and-tracing.md): the credentials a presign hands
// out with its upload URL (an STS session token, an SSE-C key, x-goog-*, Azure's key, and any
// header not known to describe the file: Swift's, Alibaba's, Tencent's, Huawei's tokens) show
// `[REDACTED]` in the storage attempt's onRequest event, as Authorization does, while storage
// gets them as given. Found by a hostile-server review: a header-recording tracing hook captured
// the SSE-C key and the session token.
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const SECRETS = {
  'x-amz-security-token': 'IQoJb3JpZ2luX2VjEXAMPLESTSTOKEN',
  'x-amz-server-side-encryption-customer-key': 'c3NlLWMta2V5LXNlY3JldA==',
  'x-goog-encryption-key': 'Z29vZy1rZXktc2VjcmV0',
  'x-ms-encryption-key': 'YXp1cmUta2V5LXNlY3JldA==',
  // Other storages' credentials (a second review found them shown in clear): an allowlist decides.
  'x-auth-token': 'swift-auth-token-AAA',
  'x-storage-token': 'swift-storage-token-BBB',
  'x-oss-security-token': 'alibaba-sts-token-CCC',
  'x-cos-security-token': 'tencent-sts-token-DDD',
  'x-obs-security-token': 'huawei-sts-token-EEE',
  'x-api-key': 'storage-api-key-FFF',
};

describe('hooks and the presign headers', () => {
  it("the storage PUT's onRequest event shows the presign's credentials redacted; storage gets them whole", async () => {
    server = await startFaultServer((req, res) => {
      if (req.path === '/files/presign') {
        return json(res, 201, { fileId: 'file_1', uploadUrl: `${server.url}/storage/f?X-Signature=s`, method: 'PUT', headers: { 'Content-Type': 'application/octet-stream', 'X-Amz-Meta-Origin': 'app', ...SECRETS }, expiresIn: 900 });
      }
      res.writeHead(200).end();
    });
    const seen: RequestEvent[] = [];
    const coveton = testClient(server.url, { hooks: { onRequest: (event) => void seen.push(event) } });
    await coveton.files.upload(new Uint8Array([1, 2, 3]), { filename: 'a.enc', contentType: 'application/octet-stream' });
    const put = seen.find((event) => event.endpoint === 'PUT (presigned storage URL)')!;
    expect(put.headers).toEqual({
      'content-type': 'application/octet-stream',
      'x-amz-meta-origin': 'app',
      'x-amz-security-token': '[REDACTED]',
      'x-amz-server-side-encryption-customer-key': '[REDACTED]',
      'x-goog-encryption-key': '[REDACTED]',
      'x-ms-encryption-key': '[REDACTED]',
      'x-auth-token': '[REDACTED]',
      'x-storage-token': '[REDACTED]',
      'x-oss-security-token': '[REDACTED]',
      'x-cos-security-token': '[REDACTED]',
      'x-obs-security-token': '[REDACTED]',
      'x-api-key': '[REDACTED]',
    });
    const stored = server.requests.find((r) => r.path.startsWith('/storage/'))!;
    for (const [name, value] of Object.entries(SECRETS)) expect(stored.headers[name]).toBe(value);
  });
});
