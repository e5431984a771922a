// onResponse of a streamed download (`files.download(id, { as: 'stream' })`). Found by a hostile
// review (#7): the storage GET's onResponse fired when its headers came, not when its body had
// been read ("the body read included", events.ts), and a body that broke mid-stream was never
// reported to any hook. The attempt now ends with its body: onResponse comes once it has ended,
// been cancelled, or broken (with the error the reader gets).
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { APIConnectionError } from '../../src/index.js';
import { json, serverFixture, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';
import type { ResponseEvent } from '../../src/public/events.js';

const { serve } = serverFixture();
const STORAGE = 'GET (presigned storage URL)';

/** Storage sends 2 of 4 bytes, waits, then `then`. */
async function storage(then: 'finish' | 'reset'): Promise<FaultServer> {
  const server: FaultServer = await serve(async (req, res) => {
    if (req.path.startsWith('/files/')) {
      return json(res, 200, { fileId: 'f1', url: `${server.url}/storage/f1?X-Signature=abcdefghijkl`, expiresIn: 300, size: 4, contentType: 'application/octet-stream', filename: 'x.enc' });
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '4' });
    res.write(Buffer.from([1, 2]));
    await new Promise((r) => setTimeout(r, 150));
    if (then === 'finish') res.end(Buffer.from([3, 4]));
    else (res.socket as Socket).destroy();
  });
  return server;
}

async function download(server: FaultServer, read: (stream: ReadableStream<Uint8Array>) => Promise<unknown>) {
  const lines: string[] = [];
  const storageEvents: ResponseEvent[] = [];
  const coveton = testClient(server.url, {
    maxRetries: 0,
    hooks: { onResponse: (e) => void (lines.push(`response ${e.endpoint}`), e.endpoint === STORAGE && storageEvents.push(e)) },
  });
  const stream = await coveton.files.download('f1', { as: 'stream' });
  lines.push('handed over');
  const outcome = await read(stream).catch((e: unknown) => e);
  lines.push('read');
  return { lines, storageEvents, outcome };
}

async function drain(stream: ReadableStream<Uint8Array>) {
  let bytes = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}

describe('onResponse of a streamed download', () => {
  it('fires once the body has ended, its duration covering the body read', async () => {
    const { lines, storageEvents, outcome } = await download(await storage('finish'), drain);
    expect(outcome).toBe(4);
    expect(lines).toEqual(['response GET /files/{id}/download', 'handed over', `response ${STORAGE}`, 'read']);
    expect(storageEvents).toHaveLength(1);
    expect(storageEvents[0]).toMatchObject({ status: 200, error: undefined });
    expect(storageEvents[0]!.duration).toBeGreaterThanOrEqual(140);
  });

  it('a body that breaks mid-stream is reported, with the error the reader gets', async () => {
    const { lines, storageEvents, outcome } = await download(await storage('reset'), drain);
    expect(outcome).toBeInstanceOf(APIConnectionError);
    expect(lines).toEqual(['response GET /files/{id}/download', 'handed over', `response ${STORAGE}`, 'read']);
    expect(storageEvents).toHaveLength(1);
    expect(storageEvents[0]!.status).toBe(200);
    expect(storageEvents[0]!.error).toBe(outcome);
  });

  it('a body the caller cancels is reported once, when cancelled, without an error', async () => {
    const { lines, storageEvents } = await download(await storage('finish'), async (stream) => {
      const reader = stream.getReader();
      await reader.read();
      await reader.cancel();
      await reader.cancel();
    });
    expect(lines).toEqual(['response GET /files/{id}/download', 'handed over', `response ${STORAGE}`, 'read']);
    expect(storageEvents).toHaveLength(1);
    expect(storageEvents[0]).toMatchObject({ status: 200, error: undefined });
  });
});
