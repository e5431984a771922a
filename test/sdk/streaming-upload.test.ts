// files.upload with a re-readable source ({ size, stream } or a Blob): the size goes to the
// presign before the first byte is read, the PUT streams with that exact Content-Length, nothing
// is buffered (64 MiB through; the RSS growth is printed), and every attempt reads the
// source again: a 503 retry and a re-presign after an expired URL each call stream() once more.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/index.js';
import { testClient } from '../support/client.js';

const MiB = 1024 * 1024;
let close: (() => void) | undefined;
afterEach(() => close?.());

/** An API + bucket that counts PUT bytes without keeping them; `faults` are answered first. */
async function bucket(faults: number[] = []) {
  const seen = { presigns: [] as number[], puts: [] as { length: string | undefined; received: number; status: number }[] };
  const server = createServer((req, res) => {
    if (req.url === '/files/presign') {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        seen.presigns.push(JSON.parse(text).size);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ fileId: 'file_stream1', uploadUrl: `${url}/bucket/f?sig=${seen.presigns.length}`, method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, expiresIn: 900 }));
      });
      return;
    }
    let received = 0;
    req.on('data', (c: Buffer) => (received += c.length));
    req.on('end', () => {
      const status = faults.shift() ?? 200;
      seen.puts.push({ length: req.headers['content-length'], received, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
  return { url, seen };
}

/** A source of `size` bytes made 64 KiB at a time on demand; counts its reads. */
function generated(size: number) {
  let reads = 0;
  return {
    reads: () => reads,
    source: {
      size,
      stream() {
        reads++;
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          pull(c) {
            const n = Math.min(64 * 1024, size - sent);
            if (n === 0) return c.close();
            c.enqueue(new Uint8Array(n).fill(sent % 251));
            sent += n;
          },
        });
      },
    },
  };
}

const opts = { filename: 'big.enc', contentType: 'application/octet-stream' };

describe('files.upload streams a re-readable source', () => {
  it('64 MiB: presigned with the size before any read, sent once with that Content-Length, the source read once', async () => {
    const { url, seen } = await bucket();
    const { source, reads } = generated(64 * MiB);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      expect(await testClient(url).files.upload(source, opts)).toEqual({ fileId: 'file_stream1', size: 64 * MiB });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`64 MiB streamed upload: peak RSS +${((peak - before) / MiB).toFixed(1)} MiB`);
    expect(seen.presigns).toEqual([64 * MiB]);
    expect(seen.puts).toEqual([{ length: String(64 * MiB), received: 64 * MiB, status: 200 }]);
    expect(reads()).toBe(1);
    // The RSS figure is printed, not asserted: without a forced GC it counts the chunks' garbage
    // (source and server share this process), which a bound here would mistake for buffering.
  }, 60_000);

  it('a 503 is retried by reading the source again; an expired URL is presigned again and read again', async () => {
    const { url, seen } = await bucket([503, 403]);
    const { source, reads } = generated(3 * MiB + 7);
    await testClient(url).files.upload(source, opts);
    expect(seen.puts.map((p) => [p.status, p.received])).toEqual([[503, 3 * MiB + 7], [403, 3 * MiB + 7], [200, 3 * MiB + 7]]);
    expect(seen.presigns).toEqual([3 * MiB + 7, 3 * MiB + 7]);
    expect(reads()).toBe(3);
  });

  it('a source that yields more or fewer bytes than its size fails with CovetonInputError', async () => {
    const { url } = await bucket();
    const short = { size: 1000, stream: () => generated(900).source.stream() };
    const long = { size: 1000, stream: () => generated(1100).source.stream() };
    const client = testClient(url, { maxRetries: 0 });
    await expect(client.files.upload(short, opts)).rejects.toThrow(new CovetonInputError('files.upload(size)', 'says 1000 bytes but the body has 900'));
    await expect(client.files.upload(long, opts)).rejects.toBeInstanceOf(CovetonInputError);
    await expect(client.files.upload(long, { ...opts, size: 999 })).rejects.toThrow('says 999 bytes but the body has 1000');
  });

  it('a source that breaks its size is read and sent once: a retry fails with the input error before reading it again', async () => {
    const { url, seen } = await bucket();
    const wrong = generated(900);
    const client = testClient(url, { maxRetries: 2, backoff: { initialDelay: 1, maxDelay: 1 } });
    await expect(client.files.upload({ size: 1000, stream: wrong.source.stream }, opts)).rejects.toThrow('says 1000 bytes but the body has 900');
    expect(wrong.reads()).toBe(1);
    expect(seen.puts.length).toBeLessThanOrEqual(1);
  });

  it('a source whose stream() gives the same stream again fails on the retry with an error saying so', async () => {
    const { url, seen } = await bucket([503]);
    const once = generated(1000).source.stream();
    const client = testClient(url, { maxRetries: 2, backoff: { initialDelay: 1, maxDelay: 1 } });
    await expect(client.files.upload({ size: 1000, stream: () => once }, opts)).rejects.toThrow('stream() gave the same stream again');
    expect(seen.puts.map((p) => p.status)).toEqual([503]);
  });
});
