// A connection reset while the caller reads a streamed download reaches the reader as an
// APIConnectionError (a CovetonError), as it does in bytes mode, on both transports: the raw
// undici SocketError (or fetch's `TypeError: terminated`) did before (hostile-server review,
// finding 8). A timeout after the handover stays an APITimeoutError.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APITimeoutError, CovetonError } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

/** Storage sends 1,000 of the 100,000 bytes it announced, then `then` happens to the connection. */
async function cutOff(then: 'reset' | 'stall') {
  server = await startFaultServer((req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Signature=s`, expiresIn: 300, size: 100_000, contentType: 'application/octet-stream', filename: 'x' });
    }
    res.writeHead(200, { 'Content-Length': '100000' });
    res.write(Buffer.alloc(1000));
    if (then === 'reset') setTimeout(() => (res.socket as Socket).destroy(), 100);
  });
}

async function read(stream: ReadableStream<Uint8Array>) {
  let bytes = 0;
  try {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  } catch (error) {
    return { bytes, error };
  }
  return { bytes, error: undefined };
}

describe('a streamed download whose connection breaks', () => {
  it('a reset mid-body: the reader gets APIConnectionError after the bytes that came', async () => {
    await cutOff('reset');
    const { bytes, error } = await read(await testClient(server.url).files.download('file_1', { as: 'stream' }));
    expect(bytes).toBe(1000);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toBeInstanceOf(CovetonError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    const port = new URL(server.url).port;
    expect((error as Error).message).toBe(`Connection to 127.0.0.1:${port} failed (UND_ERR_SOCKET).`);
    expect((error as APIConnectionError).code).toBe('UND_ERR_SOCKET');
    expect(server.requests.map((r) => r.path)).toEqual(['/files/file_1/download', '/storage/file_1?X-Signature=s']);
  });

  it('a body that stalls after the handover: APITimeoutError of the attempt', async () => {
    await cutOff('stall');
    const { bytes, error } = await read(await testClient(server.url, { timeout: 300 }).files.download('file_1', { as: 'stream' }));
    expect(bytes).toBe(1000);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).kind).toBe('attempt');
  });
});
