// files.upload resolves with the file id the presign answered, so that id must be one: a
// presign answer without a non-empty string `fileId` is an UnexpectedResponseError before any
// byte goes to storage. Found by a hostile-server review: the bytes were PUT and the upload
// resolved with `fileId` undefined, 42 or an object.
import { afterEach, describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

describe('files.upload and the presign answer', () => {
  for (const fileId of [undefined, 42, { $ne: null }, '', ['file_1']]) {
    it(`a fileId of ${JSON.stringify(fileId)}: UnexpectedResponseError, and storage gets no request`, async () => {
      server = await startFaultServer((req, res) => {
        if (req.path === '/files/presign') {
          return json(res, 201, { fileId, uploadUrl: `${server.url}/storage/f?X-Signature=s`, method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, expiresIn: 900 });
        }
        res.writeHead(200).end();
      });
      const error = await testClient(server.url)
        .files.upload(new Uint8Array([1, 2, 3]), { filename: 'a.enc', contentType: 'application/octet-stream' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as Error).message).toBe('files.presignUpload (POST /files/presign) answered 201 with no usable fileId, against the API contract.');
      expect(server.requests.map((r) => r.path)).toEqual(['/files/presign']);
    });
  }
});
