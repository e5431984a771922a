// Encrypted file transfer (seed 002, Files): presign with the byte size, PUT the ciphertext
// straight to storage, reference the file id. The bytes never pass through the API and carry no
// Coveton credential. A PUT to a presigned URL is repeatable, so it retries like any safe
// request; a URL that expired (storage answers 403) is presigned again, once: a renewal the
// pipeline's policy runs (src/pipeline/policy.ts), not a loop of this file's own.
import type { Resources } from '../generated/resources.js';
import { CovetonInputError } from './errors/base.js';
import { APITimeoutError } from './errors/transport.js';
import { lowerCaseHeaders, type Outgoing } from './http/outgoing.js';
import type { Pipeline } from './pipeline/index.js';
import type { CallOptions } from './types.js';

/** What `files.upload` accepts: bytes, a Blob, or (in Node) a readable stream with its `size`. */
export type UploadBody = Uint8Array | ArrayBuffer | Blob | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface UploadOptions extends Pick<CallOptions, 'signal' | 'timeout' | 'deadline' | 'maxRetries'> {
  filename: string;
  /** The MIME type of the plaintext's container, e.g. `application/octet-stream`. */
  contentType: string;
  /** Required for a stream: the exact number of bytes it yields. */
  size?: number;
}

export interface DownloadOptions extends Pick<CallOptions, 'signal' | 'timeout' | 'deadline' | 'maxRetries'> {
  /** `'bytes'` (default) resolves to a Uint8Array; `'stream'` to the response's ReadableStream. */
  as?: 'bytes' | 'stream';
}

export interface FileHelpers {
  /** Presigns, PUTs the (already encrypted) bytes to storage, and resolves to the file id. */
  upload(body: UploadBody, options: UploadOptions): Promise<{ fileId: string; size: number }>;
  /** Gets a short-lived URL for the file and downloads its bytes. */
  download(fileId: string, options?: DownloadOptions & { as?: 'bytes' }): Promise<Uint8Array>;
  download(fileId: string, options: DownloadOptions & { as: 'stream' }): Promise<ReadableStream<Uint8Array>>;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    total += chunk.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

async function streamChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  return collect({
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    },
  });
}

/** The bytes to send, read once so that every retry re-sends them intact. */
async function toBytes(body: UploadBody, declared: number | undefined): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (typeof Blob !== 'undefined' && body instanceof Blob) bytes = new Uint8Array(await body.arrayBuffer());
  else if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) bytes = await streamChunks(body);
  else if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    if (declared === undefined) throw new CovetonInputError('files.upload(size)', 'is required with a stream');
    bytes = await collect(body as AsyncIterable<Uint8Array>);
  } else {
    throw new CovetonInputError('files.upload(body)', 'must be a Uint8Array, ArrayBuffer, Blob or readable stream');
  }
  if (declared !== undefined && declared !== bytes.byteLength) {
    throw new CovetonInputError('files.upload(size)', `says ${declared} bytes but the body has ${bytes.byteLength}`);
  }
  if (bytes.byteLength === 0) throw new CovetonInputError('files.upload(body)', 'is empty');
  return bytes;
}

/** Storage answers 403 to a presigned URL that has expired. */
const EXPIRED = 403;

export function fileHelpers(files: Resources['files'], storage: Pipeline): FileHelpers {
  /** One deadline for the whole upload or download, shared by its presign, transfer and retry steps. */
  const budget = ({ signal, timeout, deadline, maxRetries }: DownloadOptions) => {
    const started = Date.now();
    return (): CallOptions => {
      if (deadline === undefined) return { signal, timeout, maxRetries } as CallOptions;
      const left = deadline - (Date.now() - started);
      if (left <= 0) throw new APITimeoutError('deadline', deadline);
      return { signal, timeout, maxRetries, deadline: left } as CallOptions;
    };
  };

  return {
    async upload(body, options) {
      if (!options?.filename) throw new CovetonInputError('files.upload(filename)', 'is required');
      if (!options.contentType) throw new CovetonInputError('files.upload(contentType)', 'is required');
      const bytes = await toBytes(body, options.size);
      const call = budget(options);
      let fileId = '';
      const presigned = async (): Promise<Outgoing> => {
        const target = await files.presignUpload({ filename: options.filename, contentType: options.contentType, size: bytes.byteLength }, call());
        fileId = target.fileId;
        const headers = lowerCaseHeaders(target.headers);
        delete headers['content-length']; // fetch sets it from the body; some runtimes refuse it
        return { url: target.uploadUrl, method: 'PUT', headers, body: bytes };
      };
      await storage(await presigned(), { ...call(), endpoint: 'PUT (presigned storage URL)', renewTarget: { status: EXPIRED, run: presigned } });
      return { fileId, size: bytes.byteLength };
    },

    async download(fileId: string, options: DownloadOptions = {}) {
      const call = budget(options);
      const read = options.as === 'stream' ? 'stream' : 'bytes';
      const link = async (): Promise<Outgoing> => {
        const { url } = await files.getDownloadUrl(fileId, call());
        return { url, method: 'GET', headers: {}, body: null };
      };
      const answer = await storage(await link(), { ...call(), read, endpoint: 'GET (presigned storage URL)', renewTarget: { status: EXPIRED, run: link } });
      if (read === 'stream') return answer.stream ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      return answer.bytes ?? new Uint8Array(0);
    },
  } as FileHelpers;
}
