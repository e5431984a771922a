// Reads what `files.upload` was given into the bytes to PUT, once, so that every retry re-sends
// them intact. The body is the caller's, but a stream may be endless or stall: a stream is read
// only up to its declared `size` (one chunk past it is an error, and the stream is cancelled),
// and every read races the caller's signal and the upload's deadline.
import { CovetonInputError } from '../errors/base.js';
import { attemptSignal } from '../timeout.js';

/** What `files.upload` accepts: bytes, a Blob, or a stream (web or Node) with its `size`. */
export type UploadBody = Uint8Array | ArrayBuffer | Blob | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** The largest upload the API takes (spec: FilePresignRequest.size, at most 2 GiB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface ReadLimits {
  /** The declared size; required for a stream. */
  size?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds left of the upload's deadline. */
  deadline?: number | undefined;
}

const field = (name: string) => `files.upload(${name})`;

function checkSize(size: unknown): number | undefined {
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_UPLOAD_BYTES) {
    throw new CovetonInputError(field('size'), `must be a whole number of bytes from 1 to ${MAX_UPLOAD_BYTES}, got ${String(size)}`);
  }
  return size;
}

/** A pull-based view of either kind of stream, with a way to let go of it. */
interface Source {
  next(): Promise<IteratorResult<unknown>>;
  cancel(): void;
}

function sourceOf(body: UploadBody): Source | undefined {
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    const reader = body.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      cancel: () => void reader.cancel().catch(() => {}),
    };
  }
  const iterable = body as Partial<AsyncIterable<unknown>> | null;
  if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') {
    const iterator = iterable[Symbol.asyncIterator]!();
    return {
      next: () => iterator.next(),
      // Not awaited: an async generator answers return() only after its pending next().
      cancel: () => void iterator.return?.()?.catch?.(() => {}),
    };
  }
  return undefined;
}

async function readStream(source: Source, size: number, limits: ReadLimits): Promise<Uint8Array> {
  const guard = attemptSignal(limits.signal, Number.POSITIVE_INFINITY, limits.deadline ?? Number.POSITIVE_INFINITY);
  let stop: (error: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const onAbort = () => stop(guard.signal.reason);
  if (guard.signal.aborted) onAbort();
  else guard.signal.addEventListener('abort', onAbort, { once: true });

  const out = new Uint8Array(size);
  let total = 0;
  try {
    for (;;) {
      const pending = source.next();
      pending.catch(() => {}); // a read left behind by an abort may still fail later: not unhandled
      const { done, value } = await Promise.race([pending, stopped]);
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new CovetonInputError(field('body'), `a stream must yield bytes (Uint8Array or Buffer), got ${typeof value}`);
      }
      if (total + value.byteLength > size) {
        // Nothing past the declared size plus this one chunk is ever pulled.
        throw new CovetonInputError(field('size'), `says ${size} bytes but the stream yields more`);
      }
      out.set(value, total);
      total += value.byteLength;
    }
  } catch (error) {
    source.cancel();
    throw error;
  } finally {
    guard.signal.removeEventListener('abort', onAbort);
    guard.dispose();
  }
  if (total !== size) throw new CovetonInputError(field('size'), `says ${size} bytes but the body has ${total}`);
  return out;
}

/** The bytes to send. Throws CovetonInputError for a wrong body or size, and the transport's abort and timeout errors. */
export async function readUploadBody(body: UploadBody, limits: ReadLimits = {}): Promise<Uint8Array> {
  const declared = checkSize(limits.size);
  let bytes: Uint8Array;
  if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (typeof Blob !== 'undefined' && body instanceof Blob) {
    if (declared !== undefined && declared !== body.size) {
      throw new CovetonInputError(field('size'), `says ${declared} bytes but the body has ${body.size}`);
    }
    if (body.size > MAX_UPLOAD_BYTES) throw new CovetonInputError(field('body'), `is larger than ${MAX_UPLOAD_BYTES} bytes`);
    bytes = new Uint8Array(await body.arrayBuffer());
  } else {
    const source = sourceOf(body);
    if (!source) throw new CovetonInputError(field('body'), 'must be a Uint8Array, ArrayBuffer, Blob or readable stream');
    if (declared === undefined) {
      source.cancel();
      throw new CovetonInputError(field('size'), 'is required with a stream');
    }
    return readStream(source, declared, limits);
  }
  if (declared !== undefined && declared !== bytes.byteLength) {
    throw new CovetonInputError(field('size'), `says ${declared} bytes but the body has ${bytes.byteLength}`);
  }
  if (bytes.byteLength === 0) throw new CovetonInputError(field('body'), 'is empty');
  return bytes;
}
