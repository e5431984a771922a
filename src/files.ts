// Encrypted file transfer (seed 002, Files): presign with the byte size, PUT the ciphertext
// straight to storage, reference the file id. The bytes never pass through the API and carry no
// Coveton credential. A PUT to a presigned URL is repeatable, so it retries like any safe
// request; a URL that expired (storage answers 403) is presigned again, once.
import type { Resources } from '../generated/resources.js';
import { CovetonInputError } from './errors/base.js';
import { errorFromResponse } from './errors/from-response.js';
import { APITimeoutError } from './errors/transport.js';
import { readUploadBody, type UploadBody } from './files/upload-body.js';
import { lowerCaseHeaders, parseBody, type Outgoing, type Received } from './outgoing.js';
import type { CallOptions, Transport } from './transport.js';
import { checkStorageUrl } from './url-policy.js';

export type { UploadBody } from './files/upload-body.js';

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

const expired = (response: Response) => response.status === 403;

export function fileHelpers(
  files: Resources['files'],
  storage: Transport,
  secrets: () => readonly (string | undefined)[],
  /** The API's base URL: a storage URL is held to its scheme (see url-policy.ts). */
  apiBaseUrl: string,
): FileHelpers {
  const fail = ({ response, text }: Received, method: string) =>
    errorFromResponse(response.status, response.statusText, response.headers, parseBody(text), {
      method,
      path: '(presigned storage URL)',
      secrets: secrets(),
    });

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
      const call = budget(options);
      // Read under the upload's deadline and signal, and never past the declared size.
      const bytes = await readUploadBody(body, { size: options.size, ...call() });
      const presign = () =>
        files.presignUpload({ filename: options.filename, contentType: options.contentType, size: bytes.byteLength }, call());
      const put = (target: Awaited<ReturnType<typeof presign>>) => {
        const headers = lowerCaseHeaders(target.headers);
        delete headers['content-length']; // fetch sets it from the body; some runtimes refuse it
        checkStorageUrl('files.upload(uploadUrl)', target.uploadUrl, apiBaseUrl);
        const request: Outgoing = { url: target.uploadUrl, method: 'PUT', headers, body: bytes, redirect: 'follow' };
        return storage.send(request, call());
      };
      let target = await presign();
      let answer = await put(target);
      if (expired(answer.response)) {
        target = await presign(); // once: a second 403 is not an expiry
        answer = await put(target);
      }
      if (!answer.response.ok) throw fail(answer, 'PUT');
      return { fileId: target.fileId, size: bytes.byteLength };
    },

    async download(fileId: string, options: DownloadOptions = {}) {
      const call = budget(options);
      const read = options.as === 'stream' ? 'stream' : 'bytes';
      const get = async () => {
        const link = await files.getDownloadUrl(fileId, call());
        checkStorageUrl('files.download(url)', link.url, apiBaseUrl);
        const request: Outgoing = { url: link.url, method: 'GET', headers: {}, body: null, redirect: 'follow' };
        return storage.send(request, { ...call(), read });
      };
      let answer = await get();
      if (expired(answer.response)) {
        await answer.response.body?.cancel().catch(() => {});
        answer = await get();
      }
      if (!answer.response.ok) {
        if (read === 'stream') answer = { response: answer.response, text: await answer.response.text().catch(() => undefined) };
        throw fail(answer, 'GET');
      }
      if (read === 'stream') return answer.response.body as ReadableStream<Uint8Array>;
      return answer.bytes ?? new Uint8Array(0);
    },
  } as FileHelpers;
}
