// The API failing under the e2e client: a device listing that answers 500, 404 or a body that is
// not a listing, over real HTTP through the SDK, makes decrypt reject with E2EError api_failed,
// the SDK's own error (its class and status) the cause, so "the server failed, retry later" is
// told apart from a forged message; so does an id the SDK refuses to send, a failed post, and a
// file upload or download the API refuses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoveton, CovetonInputError, InternalServerError, NotFoundError, UnexpectedResponseError } from '../../src/index.js';
import { createE2EClient } from '../../src/e2e/client.js';
import { E2EError, e2eClient } from '../../src/e2e/index.js';
import { adaAndBob } from './fake-api.js';

let server: Server | undefined;
afterEach(() => void server?.close());

/** A server answering every request with `status` and `body`; its request paths are kept. */
async function answering(status: number, body: string) {
  const paths: string[] = [];
  server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const coveton = createCoveton({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'ck_test_1', logLevel: 'off', maxRetries: 0 });
  return { coveton, paths };
}

async function rejection(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('resolved');
}

describe('API failures under the e2e client', () => {
  it.each([
    [500, '{"error":{"code":"INTERNAL","message":"x"}}', InternalServerError],
    [404, '{"error":{"code":"NOT_FOUND","message":"x"}}', NotFoundError],
    [200, '{"data":"not a list"}', UnexpectedResponseError],
  ])('decrypt, the listing answering %i: api_failed, the SDK error its cause, one request', async (status, body, Class) => {
    const { ada, bob } = await adaAndBob();
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hi', contentType: 'text/plain' });
    const { coveton, paths } = await answering(status, body);
    const error = await rejection(e2eClient(coveton, bob.device).messages.decrypt(sent));
    // Before: the SDK's error itself (InternalServerError, NotFoundError, UnexpectedResponseError), no code.
    expect(error).toBeInstanceOf(E2EError);
    expect(error).toMatchObject({ code: 'api_failed', message: 'api_failed: listing devices' });
    expect((error as E2EError).cause).toBeInstanceOf(Class);
    if (status !== 200) expect((error as E2EError).cause).toMatchObject({ status });
    expect(paths).toEqual(['GET /chats/chat_1/devices?limit=1000']);
  });

  it('an id the SDK will not send (an empty chat id): api_failed, CovetonInputError its cause, no request', async () => {
    const { ada, bob } = await adaAndBob();
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hi', contentType: 'text/plain' });
    const { coveton, paths } = await answering(500, '{}');
    const error = await rejection(e2eClient(coveton, bob.device).messages.decrypt({ ...sent, chatId: '' }));
    expect(error).toMatchObject({ code: 'api_failed' });
    expect((error as E2EError).cause).toBeInstanceOf(CovetonInputError);
    expect(paths).toEqual([]);
  });

  it('send, the post failing: api_failed, the failure its cause', async () => {
    const { world, bob } = await adaAndBob();
    const refused = new Error('the post failed');
    const api = { ...world.as('usr_bob'), messages: { send: () => Promise.reject(refused) } };
    const error = await rejection(createE2EClient(api, bob.device, bob.store).messages.send({ chatId: 'chat_1', plaintext: 'hi', contentType: 'text/plain' }));
    expect(error).toMatchObject({ code: 'api_failed', message: 'api_failed: posting the message', cause: refused });
  });

  it('files: an upload or a download the API refuses is api_failed, the SDK error its cause, one request each', async () => {
    const { bob } = await adaAndBob();
    const { coveton, paths } = await answering(500, '{"error":{"code":"INTERNAL","message":"x"}}');
    const secure = e2eClient(coveton, bob.device);
    const up = await rejection(secure.files.upload(new Uint8Array(10).fill(1), { filename: 'a.txt' }));
    const down = await rejection(secure.files.download({ fileId: 'file_1', filename: 'a.txt', contentType: 'text/plain', size: 10, key: new Uint8Array(32) }));
    // Before: the SDK's InternalServerError itself, no code, where send and decrypt give api_failed.
    for (const [error, what] of [[up, 'uploading a file'], [down, 'downloading a file']] as const) {
      expect(error).toBeInstanceOf(E2EError);
      expect(error).toMatchObject({ code: 'api_failed', message: `api_failed: ${what}` });
      expect((error as E2EError).cause).toBeInstanceOf(InternalServerError);
    }
    expect(paths).toEqual(['POST /files/presign', 'GET /files/file_1/download']);
  });

  it('a forged message is still its own code, not api_failed', async () => {
    const { ada, bob } = await adaAndBob();
    const sent = await ada.client.messages.send({ chatId: 'chat_1', plaintext: 'hi', contentType: 'text/plain' });
    expect(await rejection(bob.client.messages.decrypt({ ...sent, ciphertext: sent.ciphertext.slice(0, -4) + 'AAAA' }))).toMatchObject({ code: 'decrypt_failed' });
  });
});
