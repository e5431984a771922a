// STREAM files: sizes known up front, and every cut, swap or change of a segment refused.
import { describe, expect, it, vi } from 'vitest';
import { decryptStream, encryptStream, encryptedSize, SEGMENT } from '../../src/e2e/stream.js';
import { E2EError } from '../../src/e2e/errors.js';

const streamOf = (bytes: Uint8Array, piece = 10_000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let at = 0; at < bytes.length; at += piece) c.enqueue(bytes.slice(at, at + piece));
      c.close();
    },
  });
const read = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());
const key = new Uint8Array(32).fill(7);
const data = (n: number) => new Uint8Array(n).map((_, i) => (i * 31 + 7) % 256);

async function failure(encrypted: Uint8Array): Promise<string> {
  try {
    await read(decryptStream(key, streamOf(encrypted)));
  } catch (error) {
    if (error instanceof E2EError) return error.code;
    throw error;
  }
  throw new Error('decrypted');
}

describe('STREAM files', () => {
  it('hands on a copy of each WebCrypto result and releases the result at once, where the runtime can transfer a buffer', async () => {
    const subtle = globalThis.crypto.subtle;
    const results: ArrayBuffer[] = [];
    const released: number[] = [];
    const spies = (['encrypt', 'decrypt'] as const).map((name) => {
      const real = subtle[name].bind(subtle) as (...args: unknown[]) => Promise<ArrayBuffer>;
      return vi.spyOn(subtle, name).mockImplementation(async (...args: unknown[]) => {
        const result = await real(...args);
        results.push(result);
        // Node 20 has no ArrayBuffer.prototype.transfer: one that records the release stands in.
        Object.defineProperty(result, 'transfer', { value: (length: number) => (released.push(length), new ArrayBuffer(0)) });
        return result;
      });
    });
    try {
      const plain = data(3 * SEGMENT + 5);
      const chunks: Uint8Array[] = [];
      for await (const chunk of encryptStream(key, streamOf(plain, 50_000)) as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
      const encrypted = await read(new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) }));
      const opened: Uint8Array[] = [];
      for await (const chunk of decryptStream(key, streamOf(encrypted, 50_000)) as unknown as AsyncIterable<Uint8Array>) opened.push(chunk);
      expect(await read(new ReadableStream({ start: (c) => (opened.forEach((x) => c.enqueue(x)), c.close()) }))).toEqual(plain);
      expect(results).toHaveLength(8); // four segments sealed, four opened
      expect(released).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      for (const chunk of [...chunks, ...opened]) expect(results).not.toContain(chunk.buffer);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('reads its source only as far as its reader has asked, plus one segment and one chunk, up and down', async () => {
    // A source of `total` bytes in 64 KiB chunks that counts what was pulled from it.
    const counted = (bytes: Uint8Array, chunk: number) => {
      const source = { pulled: 0 };
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(c) {
            if (source.pulled >= bytes.length) return c.close();
            const piece = bytes.subarray(source.pulled, source.pulled + chunk);
            source.pulled += piece.length;
            c.enqueue(piece);
          },
        },
        { highWaterMark: 0 },
      );
      return { source, stream };
    };
    const settle = () => new Promise((r) => setTimeout(r, 30));
    const plain = data(64 * SEGMENT);
    const up = counted(plain, SEGMENT);
    const encrypting = encryptStream(key, up.stream).getReader();
    await settle();
    expect(up.source.pulled).toBe(0);
    for (let i = 0; i < 4; i++) await encrypting.read(); // the header and three segments
    await settle();
    // Three segments read, the fourth prepared ahead (the stream's one queued value), and the
    // chunk after it, read to learn whether the fourth is the last.
    expect(up.source.pulled).toBe(5 * SEGMENT);
    await encrypting.cancel();

    const encrypted = await read(encryptStream(key, streamOf(plain, 50_000)));
    const down = counted(encrypted, 50_000);
    const decrypting = decryptStream(key, down.stream).getReader();
    await settle();
    // The first segment is prepared before it is asked for: its bytes, and the chunk they end in.
    expect(down.source.pulled).toBeLessThanOrEqual(39 + SEGMENT + 16 + 50_000);
    for (let i = 0; i < 3; i++) await decrypting.read();
    await settle();
    // Four segments (three read, one ahead) and at most the chunk that tells whether more follow.
    expect(down.source.pulled).toBeGreaterThan(39 + 4 * (SEGMENT + 16));
    expect(down.source.pulled).toBeLessThanOrEqual(39 + 4 * (SEGMENT + 16) + 50_000);
    await decrypting.cancel();
  });

  it.each([0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 200_000])('round trip of %i bytes, exact size known before reading', async (n) => {
    const plain = data(n);
    const encrypted = await read(encryptStream(key, streamOf(plain, 7_777)));
    expect(encrypted.length).toBe(encryptedSize(n));
    expect(await read(decryptStream(key, streamOf(encrypted, 5_000)))).toEqual(plain);
  });

  it('opens a file that arrives in pieces smaller than its header, and a segment split at every boundary', async () => {
    // Pieces across chunks share one reused buffer: the header, kept for every segment, must be
    // a copy of its own, and each segment is opened before the next one is assembled.
    const plain = data(2 * SEGMENT + 3);
    const encrypted = await read(encryptStream(key, streamOf(plain)));
    expect(await read(decryptStream(key, streamOf(encrypted, 17)))).toEqual(plain);
    expect(await read(decryptStream(key, streamOf(encrypted, SEGMENT + 15)))).toEqual(plain);
    expect(await failure(encrypted.slice(0, 39 + 2 * (SEGMENT + 16)))).toBe('truncated');
  });

  it('a hostile chunking never leaks bytes of the reused buffer: one-byte chunks, one chunk over three segments, cuts and extra bytes in either', async () => {
    const chunks = (bytes: Uint8Array, sizes: number[]) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let at = 0, i = 0; at < bytes.length; at += sizes[i++ % sizes.length]!) c.enqueue(bytes.slice(at, at + sizes[i % sizes.length]!));
          c.close();
        },
      });
    const outcome = (bytes: Uint8Array, sizes: number[]) =>
      read(decryptStream(key, chunks(bytes, sizes))).then(
        (plain) => plain,
        (error: unknown) => (error instanceof E2EError ? error.code : error),
      );
    const small = data(100);
    const sealedSmall = await read(encryptStream(key, streamOf(small)));
    expect(await outcome(sealedSmall, [1])).toEqual(small);
    expect(await outcome(sealedSmall.slice(0, -1), [1])).toBe('decrypt_failed');
    expect(await outcome(new Uint8Array([...sealedSmall, 0]), [1])).toBe('decrypt_failed');
    const plain = data(3 * SEGMENT + 5);
    const sealed = await read(encryptStream(key, streamOf(plain)));
    const seg = SEGMENT + 16;
    // The header and three segments in one chunk, then odd pieces; segment-sized pieces off by one.
    for (const sizes of [[39 + 3 * seg + 1, 7], [seg + 1, seg - 1], [38, 2, seg - 3, 1]]) {
      expect(await outcome(sealed, sizes)).toEqual(plain);
      expect(await outcome(sealed.slice(0, 39 + 3 * seg), sizes)).toBe('truncated');
      expect(await outcome(sealed.slice(0, -1), sizes)).toBe('decrypt_failed');
      expect(await outcome(new Uint8Array([...sealed, 1, 2, 3]), sizes)).toBe('decrypt_failed');
    }
  });

  it('one-byte chunks, up and down: the same bytes, in array work linear in the chunks (elements moved by shift, splice, slice)', async () => {
    // What reassembly may cost: each call of an Array method that moves elements counted by the
    // length of the array of chunks it runs on. A shift per chunk on a queue of a segment's
    // chunks is ~SEGMENT^2 / 2 per segment; a head index and an occasional compaction, a few per chunk.
    let moved = 0;
    const names = ['shift', 'splice', 'slice'] as const;
    const real = names.map((name) => Array.prototype[name] as (...args: unknown[]) => unknown);
    names.forEach((name, i) => {
      // Patched by hand: a vi.spyOn of Array.prototype records its calls in arrays, and recurses.
      (Array.prototype as unknown as Record<string, unknown>)[name] = function (this: unknown[], ...args: unknown[]) {
        if (this[0] instanceof Uint8Array || this[this.length - 1] instanceof Uint8Array) moved += this.length;
        return real[i]!.apply(this, args);
      };
    });
    // One byte a pull: a stream of all its chunks queued up front is itself slow to read on Node 20.
    const bytewise = (bytes: Uint8Array, at = 0) =>
      new ReadableStream<Uint8Array>({ pull: (c) => (at < bytes.length ? c.enqueue(bytes.slice(at, ++at)) : c.close()) }, { highWaterMark: 0 });
    try {
      const plain = data(SEGMENT + 100);
      const encrypted = await read(encryptStream(key, bytewise(plain)));
      expect(await read(decryptStream(key, bytewise(encrypted)))).toEqual(plain);
      expect(moved).toBeLessThanOrEqual(3 * (plain.length + encrypted.length));
    } finally {
      names.forEach((name, i) => ((Array.prototype as unknown as Record<string, unknown>)[name] = real[i]));
    }
  }, 120_000);

  it('a cut at a segment boundary is truncated; a cut inside one, a swap, a flipped byte or an extra segment is refused', async () => {
    const encrypted = await read(encryptStream(key, streamOf(data(3 * SEGMENT + 100))));
    const seg = SEGMENT + 16;
    const header = 39;
    expect(await failure(encrypted.slice(0, header + 2 * seg))).toBe('truncated');
    expect(await failure(encrypted.slice(0, header))).toBe('truncated');
    expect(await failure(encrypted.slice(0, 20))).toBe('truncated');
    expect(await failure(encrypted.slice(0, header + seg + 500))).toBe('decrypt_failed');
    const swapped = encrypted.slice();
    swapped.set(encrypted.subarray(header + seg, header + 2 * seg), header);
    swapped.set(encrypted.subarray(header, header + seg), header + seg);
    expect(await failure(swapped)).toBe('decrypt_failed');
    const flipped = encrypted.slice();
    flipped[header + seg + 3]! ^= 1;
    expect(await failure(flipped)).toBe('decrypt_failed');
    const longer = new Uint8Array([...encrypted, ...encrypted.subarray(header, header + seg)]);
    expect(await failure(longer)).toBe('decrypt_failed');
    const wrongKey = encrypted.slice();
    wrongKey[10]! ^= 1; // inside the key commitment
    expect(await failure(wrongKey)).toBe('key_commitment');
    const version = encrypted.slice();
    version[0] = 2;
    expect(await failure(version)).toBe('unsupported_version');
  });

  it('never passes on bytes of a segment that fails: the good segments before it only', async () => {
    const encrypted = await read(encryptStream(key, streamOf(data(2 * SEGMENT + 10))));
    encrypted[encrypted.length - 1]! ^= 1;
    const reader = decryptStream(key, streamOf(encrypted)).getReader();
    const got: number[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          got.push(value.length);
        }
      })(),
    ).rejects.toMatchObject({ code: 'decrypt_failed' });
    expect(got).toEqual([SEGMENT, SEGMENT]);
  });
});
