// Encrypted files: a fresh key per file, STREAM segments (stream.ts) uploaded through the core
// `files.upload` with the exact encrypted size declared up front, and a download that decrypts
// as it reads. The file key travels only inside a sealed message (`send({ files })`). Loaded on
// first use (client.ts imports it with import()), so sending text does not carry it.
import { random, type Bytes } from './bytes.js';
import { as, E2EError } from './errors.js';
import type { E2EApi } from './api.js';
import { decryptStream, encryptStream, encryptedSize } from './stream.js';

/** An uploaded encrypted file: put it in `messages.send({ files })`; its `key` is secret. */
export interface Attachment {
  fileId: string;
  filename: string;
  contentType: string;
  /** Plaintext size in bytes. */
  size: number;
  /** The file's content key (32 bytes): keep it as secret as the plaintext. */
  key: Uint8Array;
}

export type FileSource = Blob | ReadableStream<Uint8Array> | Uint8Array;

export interface UploadOptions {
  /**
   * The name the recipients see. It travels only inside the sealed message that attaches the
   * file: the API stores the upload as `encrypted.bin`.
   */
  filename: string;
  /**
   * The type the recipients see, carried like the name (the API stores `application/octet-stream`).
   * @default 'application/octet-stream'
   * @example { filename: 'report.pdf', contentType: 'application/pdf' }
   */
  contentType?: string | undefined;
  /**
   * The source's exact number of bytes: required for a `ReadableStream`, read from a Blob or a
   * Uint8Array otherwise.
   * @default the size of the Blob or Uint8Array
   * @example secure.files.upload(stream, { filename: 'backup.tar', size: 73_400_320 })
   */
  size?: number | undefined;
}

function opener(source: FileSource, size: number | undefined): { size: number; open: () => ReadableStream<Uint8Array> } {
  if (source instanceof Uint8Array) {
    return { size: source.length, open: () => new ReadableStream({ start: (c) => (c.enqueue(source), c.close()) }) };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { size: source.size, open: () => source.stream() };
  if (size === undefined || !Number.isSafeInteger(size) || size < 0) throw new E2EError('malformed', 'size');
  let used = false;
  return {
    size,
    open: () => {
      // A stream can be read once: a retry that needs the bytes again fails instead of sending others.
      if (used) throw new E2EError('malformed', 'stream read twice');
      used = true;
      return source as ReadableStream<Uint8Array>;
    },
  };
}

/** Counts bytes through a stream and fails if the source does not yield exactly `size`. */
function exactly(size: number, stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let seen = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > size) throw new E2EError('malformed', 'size');
        controller.enqueue(chunk);
      },
      flush() {
        if (seen !== size) throw new E2EError('truncated', 'size');
      },
    }),
  );
}

/**
 * Browsers stream a request body only over HTTP/2 or 3 (Chromium refuses it on HTTP/1.1, which
 * object stores such as S3 speak), so there the encrypted file becomes a Blob first: built one
 * segment at a time, each new Blob referring to the last, so the browser holds the bytes (and
 * may page them to disk), not the page's JavaScript heap. Every other runtime streams.
 */
const inBrowser = () => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent?.startsWith('Mozilla/') === true;

async function blobOf(stream: ReadableStream<Uint8Array>): Promise<Blob> {
  const reader = stream.getReader();
  let blob = new Blob([]);
  for (let read = await reader.read(); !read.done; read = await reader.read()) blob = new Blob([blob, read.value as Uint8Array<ArrayBuffer>]);
  return blob;
}

/** Encrypts as it reads (STREAM) and uploads through the core `files.upload`. */
export async function upload(api: E2EApi, source: FileSource, options: UploadOptions): Promise<Attachment> {
  const { size, open } = opener(source, options.size);
  const contentType = options.contentType ?? 'application/octet-stream';
  // Each attempt (a retry, a followed redirect) re-reads the source and encrypts it under a key
  // of its own: STREAM's nonces are a counter, so one key over bytes that changed in between (an
  // application reusing its buffer) would give storage two plaintexts under one key and nonce,
  // whose XOR is the ciphertexts' XOR. The stored object is the last attempt's: its key is kept.
  let key: Bytes | undefined;
  const streamed = { size: encryptedSize(size), stream: () => encryptStream((key = random(32)), exactly(size, open())) };
  const body = inBrowser() ? await blobOf(streamed.stream()) : streamed;
  // The API failing (the presign, the storage PUT, the connection) is api_failed, the SDK's error
  // the cause, as for messages (api.ts collect); a source of the wrong size stays its own E2EError.
  const { fileId } = await as('api_failed', 'uploading a file', () =>
    api.files.upload(body, { filename: 'encrypted.bin', contentType: 'application/octet-stream', size: streamed.size }),
  );
  // An upload that resolved without reading its body stored nothing this key could open.
  if (!key) throw new E2EError('malformed', 'upload read no body');
  return { fileId, filename: options.filename, contentType, size, key };
}

/**
 * The downloaded body, whose own failure while it is read (a connection cut mid-way, a timeout, a
 * body longer or shorter than the API declared: the SDK's error) is api_failed too, that error the
 * cause: decryptStream passes an E2EError on as it is, and took any other for decrypt_failed, as
 * if the file had been tampered with. A chunk is read only when the decrypting side asks for one.
 */
function apiBody(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await as('api_failed', 'downloading a file', () => reader.read());
        if (done) controller.close();
        else controller.enqueue(value);
      },
      // A failed or cancelled download lets the connection go (decryptStream cancels this).
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** Downloads and decrypts as it reads. */
export async function download(api: E2EApi, attachment: Attachment): Promise<ReadableStream<Uint8Array>> {
  if (!(attachment.key instanceof Uint8Array) || attachment.key.length !== 32) throw new E2EError('malformed', 'attachment');
  // As an upload's: the API failing is api_failed, before the first byte and while the body is read.
  const stream = await as('api_failed', 'downloading a file', () => api.files.download(attachment.fileId, { as: 'stream' }));
  return decryptStream(attachment.key, apiBody(stream));
}
