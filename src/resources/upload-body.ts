// What `files.upload` was given, made into what the storage PUT sends. A re-readable source (a
// Blob, or `{ size, stream }`) is sent as a stream, read anew by every attempt and never held
// in memory; each read is counted against its declared size. Anything else is read into bytes
// once, so that every retry re-sends them intact: a one-shot stream may be endless or stall, so
// it is read only up to its declared `size` (one chunk past it is an error, and the stream is
// cancelled), and every read races the caller's signal and the upload's deadline.
import { CovetonInputError } from '../errors/base.js';
import { attemptSignal } from '../pipeline/signal.js';
import type { UploadBody, UploadSource } from '../public/files.js';

/** The largest upload the API takes (spec: FilePresignRequest.size, at most 2 GiB). */
export const MAX_UPLOAD_BYTES = 2 ** 31;

export interface ReadLimits {
  /** The declared size; required for a stream. */
  size?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds left of the upload's deadline. */
  deadline?: number | undefined;
}

const refuse = (name: string, why: string) => new CovetonInputError(`files.upload(${name})`, why);
const mismatch = (size: number, got: number | string) => refuse('size', `says ${size} bytes but the ${typeof got === 'number' ? `body has ${got}` : got}`);

/** A source whose reads are counted: the first read that breaks its size is its `problem()`. */
export interface CountedSource extends UploadSource {
  problem(): CovetonInputError | undefined;
  /** Cancels the read still open, if any: for when the upload has settled. */
  release(): void;
}

/** Whether the body is a re-readable source: a size and a `stream()` that starts a new read (a Blob is one). */
export function isUploadSource(body: unknown): body is UploadSource {
  const candidate = body as Partial<UploadSource> | null;
  return typeof candidate?.stream === 'function' && typeof candidate.size === 'number' && !(typeof ReadableStream !== 'undefined' && body instanceof ReadableStream);
}

function checkSize(size: number | undefined): void {
  if (size !== undefined && !(Number.isInteger(size) && size > 0 && size <= MAX_UPLOAD_BYTES)) {
    throw refuse('size', `must be a whole number of bytes from 1 to ${MAX_UPLOAD_BYTES}, got ${String(size)}`);
  }
}

/**
 * The source to stream, its size checked: a Blob as it is (its size is its length), any other
 * source wrapped so that a read yielding other than `size` bytes fails with CovetonInputError.
 *
 * A transport that has its answer before the whole body (a 413, a 401 from a proxy, an early
 * success) stops reading, and fetch neither finishes nor cancels the stream it was given: it
 * keeps its reader. The caller's source (an open file, a socket) would stay locked and never
 * be released. So each read is ours to end: the next attempt's `stream()` cancels the one before,
 * and `release()` the last one, each source stream cancelled at most once and then unlocked.
 */
export function streamedSource(source: UploadSource, declared: number | undefined): UploadSource | CountedSource {
  checkSize(source.size);
  if (declared !== undefined && declared !== source.size) throw mismatch(declared, source.size);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source;
  const { size } = source;
  let problem: CovetonInputError | undefined;
  let open: ((why: Error) => void) | undefined;
  let last: ReadableStream | undefined;
  const release = () => open?.(new Error('the upload no longer reads this source'));
  return {
    size,
    problem: () => problem,
    release,
    stream() {
      release();
      // A read that broke the size: the source is wrong, not the network. fetch reports the
      // error as a network failure, which the policy retries; the retry fails here, with the
      // input error, before anything is read or sent again.
      if (problem) throw problem;
      const stream = source.stream();
      // A retry needs a new read: the stream an earlier attempt read is spent.
      if (stream === last) throw (problem = refuse('body', 'stream() gave the same stream again: it must start a new read on each call (an upload may be retried)'));
      const reader = (last = stream).getReader();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      let total = 0;
      let ended = false;
      /** This read is over: the source is no longer ours to read (a no-op once it is). */
      const unlock = () => {
        if (ended) return;
        ended = true;
        reader.releaseLock();
      };
      /** Ends this read: the transport's side errors, the source is cancelled, then unlocked. */
      const end = (why: unknown) => {
        if (ended) return;
        controller.error(why);
        // Unlocked at once, whatever the source's cancel does (rejects, or never settles): a
        // pending cancel may outlive the lock.
        void reader.cancel(why).catch(() => {});
        unlock();
      };
      const fail = (error: CovetonInputError) => end((problem = error));
      open = end;
      return new ReadableStream<Uint8Array>(
        {
          start: (c) => void (controller = c),
          async pull(c) {
            let next: ReadableStreamReadResult<unknown>;
            try {
              next = await reader.read();
            } catch (error) {
              // The source failed (a file gone, a socket reset): it is errored, so only unlocked.
              unlock();
              throw error;
            }
            const { done, value } = next;
            if (ended) return; // ended while this read waited: the attempt is over
            if (done) {
              unlock();
              if (total === size) c.close();
              else c.error((problem = mismatch(size, total)));
              return;
            }
            if (!(value instanceof Uint8Array)) return fail(refuse('body', `a stream must yield bytes (Uint8Array or Buffer), got ${typeof value}`));
            total += value.byteLength;
            if (total > size) return fail(mismatch(size, 'stream yields more'));
            c.enqueue(value);
          },
          cancel: end,
        },
        { highWaterMark: 0 },
      );
    },
  };
}

/** The bytes to send. Throws CovetonInputError for a wrong body or size, and the transport's abort and timeout errors. */
export async function readUploadBody(body: Exclude<UploadBody, UploadSource>, { size, signal, deadline }: ReadLimits = {}): Promise<Uint8Array> {
  checkSize(size);
  if (body instanceof ArrayBuffer) body = new Uint8Array(body);
  if (body instanceof Uint8Array) {
    if (size !== undefined && size !== body.byteLength) throw mismatch(size, body.byteLength);
    if (!body.byteLength) throw refuse('body', 'is empty');
    return body;
  }

  // A stream: pulled chunk by chunk through one `next`, whichever kind it is.
  let next: () => Promise<IteratorResult<unknown>>;
  let cancel: () => void;
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    const reader = body.getReader();
    next = () => reader.read();
    cancel = () => void reader.cancel().catch(() => {});
  } else if (typeof (body as Partial<AsyncIterable<unknown>>)?.[Symbol.asyncIterator] === 'function') {
    const iterator = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    next = () => iterator.next();
    // Not awaited: an async generator answers return() only after its pending next().
    cancel = () => void iterator.return?.()?.catch(() => {});
  } else {
    throw refuse('body', 'must be a Uint8Array, ArrayBuffer, Blob or readable stream');
  }
  if (size === undefined) {
    cancel();
    throw refuse('size', 'is required with a stream');
  }

  const guard = attemptSignal(signal, Infinity, deadline ?? Infinity);
  const stopped = new Promise<never>((_, reject) => {
    const stop = () => reject(guard.signal.reason);
    if (guard.signal.aborted) stop();
    else guard.signal.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => {});
  const out = new Uint8Array(size);
  let total = 0;
  try {
    for (;;) {
      const pending = next();
      pending.catch(() => {}); // a read left behind by an abort may still fail later: not unhandled
      const { done, value } = await Promise.race([pending, stopped]);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw refuse('body', `a stream must yield bytes (Uint8Array or Buffer), got ${typeof value}`);
      // Nothing past the declared size plus this one chunk is ever pulled.
      if (total + value.byteLength > size) throw mismatch(size, 'stream yields more');
      out.set(value, total);
      total += value.byteLength;
    }
  } catch (error) {
    cancel();
    throw error;
  } finally {
    guard.dispose();
  }
  if (total !== size) throw mismatch(size, total);
  return out;
}
