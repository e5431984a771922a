// onResponse of a streamed download whose body is longer or shorter than the API declared.
// Found by a hostile review (L5): the reader got the UnexpectedResponseError, but the size was
// checked in a stream piped after the handed-over body, which had settled the attempt first, so
// onResponse said the body ended well. It is now checked inside that body: one event, with the
// very error the reader gets.
import { describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../../src/index.js';
import { json, serverFixture, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';
import type { ResponseEvent } from '../../src/public/events.js';

const { serve } = serverFixture();
const STORAGE = 'GET (presigned storage URL)';

/** Storage declares `size` and sends 2 bytes, waits, then `rest` more (close-delimited). */
async function storage(size: number, rest: number): Promise<FaultServer> {
  const server: FaultServer = await serve(async (req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'f1', url: `${server.url}/storage/f1?X-Signature=abcdefghijkl`, expiresIn: 300, size, contentType: 'application/octet-stream', filename: 'x.enc' });
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(Buffer.from([1, 2]));
    await new Promise((r) => setTimeout(r, 50));
    res.end(Buffer.alloc(rest, 7));
  });
  return server;
}

async function download(server: FaultServer) {
  const events: ResponseEvent[] = [];
  const coveton = testClient(server.url, { maxRetries: 0, hooks: { onResponse: (e) => void (e.endpoint === STORAGE && events.push(e)) } });
  const stream = await coveton.files.download('f1', { as: 'stream' });
  let bytes = 0;
  const outcome = await (async () => {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  })().catch((e: unknown) => e);
  await new Promise((r) => setTimeout(r, 50));
  return { events, outcome, bytes };
}

describe('a streamed download of the wrong size', () => {
  for (const [what, size, rest, message] of [
    ['longer than declared: the reader gets the declared bytes, then the error', 4, 6, 'more bytes (the API declared 4 bytes)'],
    ['shorter than declared: the reader gets the error at its end', 10, 2, '4 bytes (the API declared 10 bytes)'],
  ] as const) {
    it(`${what}; onResponse is told that error`, async () => {
      const { events, outcome, bytes } = await download(await storage(size, rest));
      expect(outcome).toBeInstanceOf(UnexpectedResponseError);
      expect((outcome as Error).message).toContain(message);
      expect(bytes).toBe(4);
      expect(events.map((e) => [e.status, e.error])).toEqual([[200, outcome]]);
    });
  }

  it('of the declared size: one event without an error', async () => {
    const { events, outcome, bytes } = await download(await storage(4, 2));
    expect(outcome).toBeUndefined();
    expect(bytes).toBe(4);
    expect(events.map((e) => [e.status, e.error])).toEqual([[200, undefined]]);
  });
});
