// Files: STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015, as age uses it) over AES-256-GCM with
// the file's own key K_f, 64 KiB segments, never the whole file in memory.
//   header  = 01 ‖ u16 suite ‖ u32 segment size ‖ HMAC-SHA256(K_f, "coveton-e2e/v1/file-commit")  (39 bytes)
//   segment = AES-256-GCM(K_f, nonce = u88 counter ‖ last-flag byte, aad = header, ≤ 64 KiB) ‖ tag
// The last segment (flag 1) may be short, and is empty only for an empty file, so a cut at a
// segment boundary (no flag) is `truncated`, and a moved segment fails its counter.
import { concat, equal, readU32, u32, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';
import { aesKey, commitment } from './message.js';
import { checkVersion, LABEL, prelude } from './suite.js';

export const SEGMENT = 64 * 1024;
const TAG = 16;
export const FILE_HEADER_BYTES = 39;
const EMPTY = new Uint8Array(0);

/** The exact encrypted size of `size` plaintext bytes: what the presign is told before any byte is read. */
export const encryptedSize = (size: number): number => FILE_HEADER_BYTES + size + TAG * Math.max(1, Math.ceil(size / SEGMENT));

function nonce(counter: number, last: boolean): Bytes {
  const n = new Uint8Array(12);
  let c = counter;
  for (let i = 10; i >= 0 && c > 0; i--) {
    n[i] = c % 256;
    c = Math.floor(c / 256);
  }
  n[11] = last ? 1 : 0;
  return n;
}

/**
 * Reads `source` in pieces of a size the caller asks for, each with `more`: whether a byte
 * follows it. A piece within one chunk of the source is a view of it; one across chunks is
 * copied into one buffer of `most` bytes (the largest piece the caller reads) that every such
 * piece reuses, so a piece is valid until the next read: WebCrypto copies its input when
 * called, so handing a piece to it is enough. Nothing is read beyond the piece asked for and
 * one chunk past it.
 */
function pieces(source: ReadableStream<Uint8Array>, most: number) {
  const reader = source.getReader();
  // Chunks not yet read start at `first`: a shift per chunk would move the whole queue, and a
  // source of one-byte chunks queues a segment's worth (quadratic). Read chunks are dropped
  // once they are half the queue, so each chunk is moved at most once on average.
  let queue: Bytes[] = [];
  let first = 0;
  let length = 0;
  let done = false;
  let scratch: Bytes | undefined;
  const consume = (k: number) => {
    const head = queue[first]!;
    if (k === head.length) queue[first++] = EMPTY;
    else queue[first] = head.subarray(k);
    length -= k;
    return head.subarray(0, k);
  };
  const take = (n: number): Bytes => {
    if (n === 0) return EMPTY;
    let out: Bytes;
    if (queue[first]!.length >= n) out = consume(n);
    else {
      // Downloads arrive in chunks that rarely match a segment: without the reused buffer, each
      // segment would leave a copy of itself for the collector.
      out = (scratch ??= new Uint8Array(most)).subarray(0, n);
      for (let at = 0; at < n; ) {
        const piece = consume(Math.min(queue[first]!.length, n - at));
        out.set(piece, at);
        at += piece.length;
      }
    }
    if (first * 2 > queue.length) (queue = queue.slice(first)), (first = 0);
    return out;
  };
  return {
    /** Up to `n` bytes (fewer only at the end), and whether more follow. */
    async read(n: number): Promise<{ bytes: Bytes; more: boolean }> {
      while (length <= n && !done) {
        const { done: ended, value } = await reader.read();
        if (ended) done = true;
        else if (value.length) (queue.push(value as Bytes), (length += value.length));
      }
      const bytes = take(Math.min(n, length));
      return { bytes, more: length > 0 };
    },
    release: () => reader.releaseLock(),
    // Through the reader, which still holds the lock: a released reader's cancel only rejects,
    // and the source (a download's connection) stayed open until collected.
    cancel: (reason: unknown) => reader.cancel(reason),
  };
}

/**
 * WebCrypto's result in a buffer of the script's own, and WebCrypto's released at once, where the
 * runtime can (ArrayBuffer.prototype.transfer: Node 22+, current browsers, Deno, Bun). On Node 24
 * WebCrypto's results left to the collector piled up: a 64 MiB trip reached 57 MiB of external
 * memory and +38-61 MiB of peak RSS in most runs, against at most 30 MiB and +19-25 MiB moving
 * the same bytes unencrypted; with the copy, +18-26 MiB in 6 runs of 7. Costs one copy per
 * segment. Elsewhere (Node 20) the result is used as it is.
 */
function owned(result: ArrayBuffer): Bytes {
  const transfer = (result as { transfer?: (length: number) => ArrayBuffer }).transfer;
  if (typeof transfer !== 'function') return new Uint8Array(result);
  const copy = new Uint8Array(result.byteLength);
  copy.set(new Uint8Array(result));
  try {
    transfer.call(result, 0);
  } catch {
    // A buffer that cannot be detached is left to the collector: the copy is already made.
  }
  return copy;
}

/**
 * A ReadableStream pulling one value of `steps` per pull. `stop` (cancelling the source) runs when
 * the stream is cancelled and when a step fails: either way nothing more will be read, and a
 * download's connection is let go at once.
 */
function pulled(steps: () => AsyncGenerator<Bytes>, stop: (reason: unknown) => Promise<void>, fail: (error: unknown) => unknown = (e) => e): ReadableStream<Uint8Array> {
  let running: AsyncGenerator<Bytes> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await (running ??= steps()).next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        const failure = fail(error);
        await stop(failure).catch(() => {});
        controller.error(failure);
      }
    },
    async cancel(reason) {
      await running?.return(undefined);
      await stop(reason).catch(() => {});
    },
  });
}

export async function fileHeader(key: Uint8Array): Promise<Bytes> {
  return concat(prelude(), u32(SEGMENT), await commitment(key, LABEL.file));
}

/** Encrypts `source` as it is read; pulling the result drives the reading (backpressure). */
export function encryptStream(key: Uint8Array, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const input = pieces(source, SEGMENT);
  async function* run(): AsyncGenerator<Bytes> {
    const header = await fileHeader(key);
    const aes = await aesKey(key);
    yield header;
    for (let counter = 0, more = true; more; counter++) {
      const piece = await input.read(SEGMENT);
      more = piece.more;
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(counter, !more), additionalData: header }, aes, piece.bytes);
      yield owned(sealed);
    }
    // Released at the end only: a failed or cancelled run cancels the source through the reader.
    input.release();
  }
  return pulled(run, (reason) => input.cancel(reason));
}

/** Decrypts a STREAM file as it is read; every failure is an E2EError and no unchecked byte is passed on. */
export function decryptStream(key: Uint8Array, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const input = pieces(source, SEGMENT + TAG);
  async function* run(): AsyncGenerator<Bytes> {
    const aes = await aesKey(key);
    // Kept for every segment: a copy, not a piece of the reused buffer.
    const header = (await input.read(FILE_HEADER_BYTES)).bytes.slice();
    if (header.length < FILE_HEADER_BYTES) throw new E2EError('truncated', 'file');
    checkVersion(header, 'file');
    if (readU32(header, 3) !== SEGMENT) throw new E2EError('unsupported_version', 'segment size');
    if (!equal(header.subarray(7), await commitment(key, LABEL.file))) throw new E2EError('key_commitment', 'file');
    // Segments of exactly SEGMENT + TAG bytes; the one nothing follows is the last.
    for (let counter = 0, more = true; more; counter++) {
      const segment = await input.read(SEGMENT + TAG);
      more = segment.more;
      yield await openSegment(aes, header, segment.bytes, counter, !more);
    }
    input.release();
  }
  async function openSegment(aes: CryptoKey, header: Bytes, segment: Bytes, counter: number, last: boolean): Promise<Bytes> {
    if (segment.length < TAG) throw new E2EError('truncated', 'file');
    const open = (flag: boolean) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce(counter, flag), additionalData: header }, aes, segment);
    try {
      return owned(await open(last));
    } catch (error) {
      // A full segment that opens as "not last" where the file ends: the rest was cut off.
      if (last && (await open(false).then(() => true, () => false))) throw new E2EError('truncated', 'file');
      throw new E2EError('decrypt_failed', `segment ${counter}`, { cause: error });
    }
  }
  return pulled(run, (reason) => input.cancel(reason), (error) => (error instanceof E2EError ? error : new E2EError('decrypt_failed', 'file', { cause: error })));
}
