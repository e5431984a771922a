// Files: STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015, as age uses it) over AES-256-GCM with
// the file's own key K_f, 64 KiB segments, never the whole file in memory.
//   header  = 01 ‖ u16 suite ‖ u32 segment size ‖ HMAC-SHA256(K_f, "coveton-e2e/v1/file-commit")  (39 bytes)
//   segment = AES-256-GCM(K_f, nonce = u88 counter ‖ last-flag byte, aad = header, ≤ 64 KiB) ‖ tag
// The last segment (flag 1) may be short, and is empty only for an empty file, so a cut at a
// segment boundary (no flag) is `truncated`, and a moved segment fails its counter.
import { concat, equal, readU32, u16, u32, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';
import { aesKey, commitment } from './message.js';
import { checkVersion, LABEL, SUITE, VERSION } from './suite.js';

export const SEGMENT = 64 * 1024;
const TAG = 16;
export const FILE_HEADER_BYTES = 39;

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

/** Reads `source` into pieces of exactly `size` bytes (the last may be short); `more` says if any follow. */
async function* pieces(source: ReadableStream<Uint8Array>, size: number): AsyncGenerator<{ bytes: Bytes; more: boolean }> {
  const reader = source.getReader();
  let buffered: Bytes[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value?.length) {
        buffered.push(value as Bytes);
        length += value.length;
      }
      // Emit a piece only once a byte past it is known, so the last one can be flagged.
      while (length > size) {
        const all = concat(...buffered);
        yield { bytes: all.slice(0, size), more: true };
        buffered = [all.slice(size)];
        length -= size;
      }
      if (done) {
        yield { bytes: concat(...buffered), more: false };
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export async function fileHeader(key: Uint8Array): Promise<Bytes> {
  return concat(new Uint8Array([VERSION]), u16(SUITE), u32(SEGMENT), await commitment(key, LABEL.file));
}

/** Encrypts `source` as it is read; pulling the result drives the reading (backpressure). */
export function encryptStream(key: Uint8Array, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let steps: AsyncGenerator<Bytes> | undefined;
  async function* run(): AsyncGenerator<Bytes> {
    const header = await fileHeader(key);
    const aes = await aesKey(key);
    yield header;
    let counter = 0;
    for await (const { bytes, more } of pieces(source, SEGMENT)) {
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(counter++, !more), additionalData: header }, aes, bytes);
      yield new Uint8Array(sealed);
    }
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await (steps ??= run()).next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await steps?.return(undefined);
      await source.cancel(reason).catch(() => {});
    },
  });
}

/** Decrypts a STREAM file as it is read; every failure is an E2EError and no unchecked byte is passed on. */
export function decryptStream(key: Uint8Array, source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let steps: AsyncGenerator<Bytes> | undefined;
  async function* run(): AsyncGenerator<Bytes> {
    const aes = await aesKey(key);
    let header: Bytes | undefined;
    let counter = 0;
    let finished = false;
    let rest = new Uint8Array(0) as Bytes;
    const input = pieces(source, SEGMENT + TAG);
    for await (const { bytes, more } of input) {
      let chunk = concat(rest, bytes);
      if (!header) {
        if (chunk.length < FILE_HEADER_BYTES) throw new E2EError('truncated', 'file');
        header = chunk.slice(0, FILE_HEADER_BYTES);
        checkVersion(header, 'file');
        if (readU32(header, 3) !== SEGMENT) throw new E2EError('unsupported_version', 'segment size');
        if (!equal(header.subarray(7), await commitment(key, LABEL.file))) throw new E2EError('key_commitment', 'file');
        chunk = chunk.slice(FILE_HEADER_BYTES);
      }
      // Segments of exactly SEGMENT + TAG bytes, and the final one; keep a partial one for later.
      while (chunk.length > SEGMENT + TAG || (!more && chunk.length > 0 && !finished)) {
        const take = Math.min(chunk.length, SEGMENT + TAG);
        const segment = chunk.slice(0, take);
        chunk = chunk.slice(take);
        const last = !more && chunk.length === 0;
        yield await openSegment(aes, header, segment, counter++, last);
        finished = last;
      }
      if (!more && !finished) throw new E2EError('truncated', 'file');
      rest = chunk;
    }
  }
  async function openSegment(aes: CryptoKey, header: Bytes, segment: Bytes, counter: number, last: boolean): Promise<Bytes> {
    if (segment.length < TAG) throw new E2EError('truncated', 'file');
    const open = (flag: boolean) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce(counter, flag), additionalData: header }, aes, segment);
    try {
      return new Uint8Array(await open(last));
    } catch (error) {
      // A full segment that opens as "not last" where the file ends: the rest was cut off.
      if (last && (await open(false).then(() => true, () => false))) throw new E2EError('truncated', 'file');
      throw new E2EError('decrypt_failed', `segment ${counter}`, { cause: error });
    }
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await (steps ??= run()).next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error instanceof E2EError ? error : new E2EError('decrypt_failed', 'file', { cause: error }));
      }
    },
    async cancel(reason) {
      await steps?.return(undefined);
      await source.cancel(reason).catch(() => {});
    },
  });
}

