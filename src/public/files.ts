// The file helpers: moving bytes to and from presigned storage URLs.
import type { RequestOptions } from './request-options.js';


/**
 * `files.upload`: what to upload, and the call's options, which cover every request of the
 * upload (the presign and the storage PUT; `headers` and `idempotencyKey` go to the presign only).
 */
export interface UploadOptions extends RequestOptions {
  filename: string;
  /** The MIME type of the plaintext's container, e.g. `application/octet-stream`. */
  contentType: string;
  /** Required for a stream: the exact number of bytes it yields. */
  size?: number | undefined;
}

/** `files.download`: how to return the bytes, and the call's options, which cover the link request and the storage GET. */
export interface DownloadOptions extends RequestOptions {
  /** `'bytes'` (default) resolves to a Uint8Array; `'stream'` to the response's ReadableStream. */
  as?: 'bytes' | 'stream' | undefined;
}

export interface FileHelpers {
  /** Presigns, PUTs the (already encrypted) bytes to storage, and resolves to the file id. */
  upload(body: UploadBody, options: UploadOptions): Promise<{ fileId: string; size: number }>;
  /** Gets a short-lived URL for the file and downloads its bytes. */
  download(fileId: string, options?: DownloadOptions & { as?: 'bytes' | undefined }): Promise<Uint8Array>;
  download(fileId: string, options: DownloadOptions & { as: 'stream' }): Promise<ReadableStream<Uint8Array>>;
}


/**
 * A body that can be read more than once and whose exact size is known before its first byte:
 * `files.upload` presigns with `size`, then calls `stream()` for each attempt of the storage PUT
 * (a retry, or a PUT after the URL was presigned again, reads the source again), so nothing is
 * held in memory. A `Blob` (a browser `File`) is one. A stream that yields more or fewer bytes
 * than `size` fails the upload with `CovetonInputError`.
 * @example
 * const source: UploadSource = { size: stat.size, stream: () => Readable.toWeb(createReadStream(path)) };
 */
export interface UploadSource {
  readonly size: number;
  stream(): ReadableStream<Uint8Array>;
}

/**
 * What `files.upload` accepts: bytes, an `UploadSource` (a Blob, or `{ size, stream }`), sent
 * as a stream and re-read on a retry, or a one-shot stream (web or Node) with its `size`, which
 * is read into memory first so that a retry can send it again.
 */
export type UploadBody = Uint8Array | ArrayBuffer | UploadSource | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
