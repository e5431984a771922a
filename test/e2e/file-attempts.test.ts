// Encrypted file transfers against a storage server that misbehaves, through the real core
// pipeline. Found by a hostile review:
// - a retried upload re-read a Uint8Array source and encrypted it under the same file key and
//   STREAM nonces: an application that reused its buffer in between gave storage two plaintexts
//   under one key and nonce (their XOR is the ciphertexts' XOR);
// - a download that failed to decrypt, or that the reader cancelled, left the HTTP body open
//   until the collector came by (the decrypting stream released its reader, then cancelled
//   through the released one, which only rejects).
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, createCoveton as viaFetch } from '../../src/index.js';
import { createCoveton as viaUndici } from '../../src/index.node.js';
import { E2EError } from '../../src/e2e/index.js';
import { download, upload } from '../../src/e2e/files.js';
import { decryptStream, FILE_HEADER_BYTES } from '../../src/e2e/stream.js';
import type { E2EApi } from '../../src/e2e/api.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { TEST_KEY, testClient } from '../support/client.js';

let server: FaultServer | undefined;
afterEach(() => server?.close());

const read = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());
const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ b[i]!);

describe('encrypted uploads, attempt by attempt', () => {
  it('a retried upload encrypts under a key of its own: the buffer changed in between, and the key returned opens what storage kept', async () => {
    const secret = new TextEncoder().encode('PIN=4921 account=DE44500105175407324931');
    const buffer = secret.slice();
    let puts = 0;
    server = await startFaultServer((req, res) => {
      if (req.path === '/files/presign') return json(res, 201, { fileId: 'file_1', uploadUrl: `${server!.url}/storage/file_1`, method: 'PUT', headers: {}, expiresIn: 900 });
      // The first PUT is read whole, then refused; the application reuses its buffer meanwhile.
      if (++puts === 1) {
        buffer.fill(0x20);
        return json(res, 503, { error: { code: 'INTERNAL', message: 'busy' } });
      }
      res.writeHead(200).end();
    });
    const attachment = await upload(testClient(server.url) as unknown as E2EApi, buffer, { filename: 'pin.txt' });
    const [first, second] = server.requests.filter((r) => r.method === 'PUT').map((r) => new Uint8Array(r.raw));
    expect(puts).toBe(2);
    // Two keys: the headers' key commitments differ, and the bodies' XOR is not the plaintexts'.
    expect(first!.subarray(0, FILE_HEADER_BYTES)).not.toEqual(second!.subarray(0, FILE_HEADER_BYTES));
    const leaked = xor(first!.subarray(FILE_HEADER_BYTES, FILE_HEADER_BYTES + secret.length), second!.subarray(FILE_HEADER_BYTES)).map((v) => v ^ 0x20);
    expect(new TextDecoder().decode(leaked)).not.toBe(new TextDecoder().decode(secret));
    // The key handed back is the stored (last) attempt's.
    expect(new TextDecoder().decode(await read(decryptStream(attachment.key, new Blob([second!]).stream())))).toBe(' '.repeat(secret.length));
    await expect(read(decryptStream(attachment.key, new Blob([first!]).stream()))).rejects.toMatchObject({ code: 'key_commitment' });
  });
});

describe('encrypted downloads let the connection go', () => {
  const bigFile = new Uint8Array(1_000_000).map((_, i) => i % 251);

  /**
   * Uploads `bigFile` to a server that keeps it, then serves it, corrupted at `flip` if given,
   * slowly; `cut()` closes the connection of the download (its answer sent in part). Through the
   * client `create` makes, when given (the fetch or the undici entry's createCoveton).
   */
  async function stored(flip?: number, create?: typeof viaFetch) {
    let kept: Uint8Array | undefined;
    const closed: Promise<void>[] = [];
    const answers: ServerResponse[] = [];
    server = await startFaultServer((req, res) => {
      if (req.path === '/files/presign') return json(res, 201, { fileId: 'file_1', uploadUrl: `${server!.url}/storage/put`, method: 'PUT', headers: {}, expiresIn: 900 });
      if (req.path === '/storage/put') return (kept = new Uint8Array(req.raw)), res.writeHead(200).end();
      if (req.path === '/files/file_1/download') return json(res, 200, { url: `${server!.url}/storage/get`, expiresAt: new Date(Date.now() + 900_000).toISOString(), size: kept!.length });
      const body = kept!.slice();
      if (flip !== undefined) body[flip]! ^= 1;
      closed.push(new Promise((resolve) => res.on('close', resolve)));
      res.writeHead(200, { 'Content-Length': String(body.length) });
      // One segment now, the rest never: only a cancel ends this answer before the test does.
      res.write(body.subarray(0, 70_000));
      answers.push(res);
    });
    const api = (create ? create({ baseUrl: server.url, apiKey: TEST_KEY, logLevel: 'off' }) : testClient(server.url)) as unknown as E2EApi;
    const attachment = await upload(api, bigFile, { filename: 'big.bin' });
    return { api, attachment, closed, cut: () => answers[0]!.socket!.destroy() };
  }

  it('a segment that fails to open: decrypt_failed, and the server sees the connection closed', async () => {
    const { api, attachment, closed } = await stored(FILE_HEADER_BYTES + 100);
    await expect(read(await download(api, attachment))).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(Promise.race([closed[0], new Promise((r) => setTimeout(r, 2000, 'still open'))])).resolves.toBeUndefined();
  });

  it('a reader that cancels after the first segment: the server sees the connection closed', async () => {
    const { api, attachment, closed } = await stored();
    const reader = (await download(api, attachment)).getReader();
    expect((await reader.read()).value).toEqual(bigFile.subarray(0, 64 * 1024));
    await reader.cancel('enough');
    await expect(Promise.race([closed[0], new Promise((r) => setTimeout(r, 2000, 'still open'))])).resolves.toBeUndefined();
  });

  it.each([
    ['fetch', viaFetch],
    ['undici', viaUndici],
  ])('a body the server cuts off mid-way (%s): api_failed, the SDK error its cause, and no plaintext after it', async (_, create) => {
    const { api, attachment, cut } = await stored(undefined, create);
    const reader = (await download(api, attachment)).getReader();
    expect((await reader.read()).value).toEqual(bigFile.subarray(0, 64 * 1024));
    // Cut once that segment is out (a cut before the reader took the bytes sent drops them too).
    cut();
    // Before: decrypt_failed, as if the file had been tampered with.
    const error = await reader.read().then((r) => r, (e: unknown) => e);
    expect(error).toBeInstanceOf(E2EError);
    expect(error).toMatchObject({ code: 'api_failed', message: 'api_failed: downloading a file' });
    expect((error as E2EError).cause).toBeInstanceOf(APIConnectionError);
    // The stream stays errored with it: nothing more is read, no chunk after the error.
    await expect(reader.read()).rejects.toBe(error);
  });
});
