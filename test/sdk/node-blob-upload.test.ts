// A Blob uploaded through the Node entry. Node makes a Blob body of a Request into
// `blob.stream()`, which hands an in-memory Blob over as one chunk, a copy of all of it: what a
// `fetch` passed in the options received, and what the Node transport read. Both now read a Blob
// a slice at a time, with its length. (The fetch build is left as it is: Node is not its runtime.)
import { afterEach, describe, expect, it } from 'vitest';
import { createCoveton } from '../../src/index.node.js';
import { startFilesServer } from '../support/files-server.js';

const SIZE = 4 * 1024 * 1024 + 5;
const BLOB_SLICE = 64 * 1024;

/** A custom fetch playing API and bucket; for each PUT: its Content-Length, the size of each body chunk, the bytes. */
function recordingFetch() {
  const puts: { length: string | null; chunks: number[]; bytes: Uint8Array }[] = [];
  const fetch = async (request: Request) => {
    if (request.url.endsWith('/files/presign')) {
      const { size } = (await request.json()) as { size: number };
      return Response.json({ fileId: 'file_blob1', uploadUrl: 'https://bucket.example/f?sig=1', method: 'PUT', headers: {}, expiresIn: 900, size }, { status: 201 });
    }
    const chunks: number[] = [];
    const parts: Uint8Array[] = [];
    const reader = request.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value.byteLength);
      parts.push(read.value);
    }
    const bytes = new Uint8Array(chunks.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const part of parts) bytes.set(part, (at += part.byteLength) - part.byteLength);
    puts.push({ length: request.headers.get('content-length'), chunks, bytes });
    return new Response(null, { status: 200 });
  };
  return { fetch, puts };
}

const pattern = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7) % 251);

describe('Node entry with a fetch of the caller, uploading a Blob', () => {
  it.each([
    ['a Blob', () => new Blob([pattern(SIZE)])],
    ['a File', () => new File([pattern(SIZE)], 'report.bin')],
  ])('%s reaches the fetch as slices of at most 64 KiB, with its length, never one copy of the whole', async (_name, make) => {
    const { fetch, puts } = recordingFetch();
    const coveton = createCoveton({ baseUrl: 'https://api.example', apiKey: 'ak_test_SECRETsecretSECRET1234567890', logLevel: 'off', fetch });
    expect(await coveton.files.upload(make(), { filename: 'report.bin', contentType: 'application/octet-stream' })).toEqual({ fileId: 'file_blob1', size: SIZE });
    expect(puts).toHaveLength(1);
    const [put] = puts;
    expect({ length: put!.length, chunks: put!.chunks }).toEqual({ length: String(SIZE), chunks: [...Array(Math.floor(SIZE / BLOB_SLICE)).fill(BLOB_SLICE), SIZE % BLOB_SLICE] });
    expect(Buffer.compare(put!.bytes, pattern(SIZE))).toBe(0); // the same bytes (toEqual walks 4 MiB one by one)
  });
});

/** A Blob that counts how it is read: whole (`stream()`) or by slices. */
class WatchedBlob extends Blob {
  streams = 0;
  slices = 0;
  override stream() {
    this.streams++;
    return super.stream();
  }
  override slice(...args: Parameters<Blob['slice']>) {
    this.slices++;
    return super.slice(...args);
  }
}

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

describe('Node transport (no fetch given), uploading a Blob', () => {
  it('reads it a slice at a time, never through its whole-copy stream(), and sends it whole with its length', async () => {
    const { server, stored, storageRequests } = await startFilesServer();
    close = () => server.close();
    const blob = new WatchedBlob([pattern(SIZE)]);
    const coveton = createCoveton({ baseUrl: server.url, apiKey: 'ak_test_SECRETsecretSECRET1234567890', logLevel: 'off' });
    const { fileId } = await coveton.files.upload(blob, { filename: 'report.bin', contentType: 'application/octet-stream' });
    expect({ streams: blob.streams, slices: blob.slices }).toEqual({ streams: 0, slices: Math.ceil(SIZE / BLOB_SLICE) });
    expect(storageRequests.map((r) => r.headers['content-length'])).toEqual([String(SIZE)]);
    expect(Buffer.compare(stored.get(fileId)!, pattern(SIZE))).toBe(0);
  });
});
