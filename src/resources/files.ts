// Encrypted file transfer (seed 002, Files): presign with the byte size, PUT the ciphertext
// straight to storage, reference the file id. The bytes never pass through the API and carry no
// Coveton credential. A PUT to a presigned URL is repeatable, so it retries like any safe
// request; a URL that expired (storage answers 403) is presigned again, once: a renewal the
// pipeline's policy runs (src/pipeline/policy.ts), not a loop of this file's own.
import type { Resources } from '../../generated/resources.js';
import { CovetonInputError } from '../errors/base.js';
import { APITimeoutError } from '../errors/transport.js';
import { lowerCaseHeaders, type Outgoing } from '../transport/outgoing.js';
import type { Pipeline } from '../pipeline/index.js';
import { checkStorageUrl } from '../transport/storage-url.js';
import { isUploadSource, readUploadBody, streamedSource, type CountedSource } from './upload-body.js';
import type { DownloadOptions, FileHelpers, UploadBody, UploadOptions } from '../public/files.js';
import type { RequestOptions } from '../public/request-options.js';

/** Storage answers 403 to a presigned URL that has expired. */
const EXPIRED = 403;

export function fileHelpers(
  files: Resources['files'],
  storage: Pipeline,
  /** The API's base URL: a storage URL is held to its scheme (see storage-url.ts). */
  apiBaseUrl: string,
): FileHelpers {
  /**
   * The caller's options, whole, for each request of an upload or download: one deadline
   * covers them all, so each step gets what is left of it.
   */
  const steps = <T extends RequestOptions>(given: T) => {
    // One pin for the transfer's API calls: presigned again (its URL expired), it goes as the
    // first presign went, never as a user who signed in meanwhile.
    // The key is PIN of ../pipeline/index.ts, named through the symbol registry: imported, it
    // would cost this chunk's callers 59 B gzipped up front. session-lineage-operations.test.ts
    // fails if the two part.
    const options = { ...given, [Symbol.for('coveton.pin')]: {} };
    const { deadline } = options;
    if (deadline === undefined) return () => options;
    const started = Date.now();
    return (): T => {
      const left = deadline - (Date.now() - started);
      if (left <= 0) throw new APITimeoutError('deadline', deadline);
      return { ...options, deadline: left };
    };
  };

  return {
    async upload(body, options) {
      if (!options?.filename) throw new CovetonInputError('files.upload(filename)', 'is required');
      if (!options.contentType) throw new CovetonInputError('files.upload(contentType)', 'is required');
      const call = steps(options);
      // A re-readable source is streamed by every attempt, never held; anything else is read
      // once under the upload's deadline and signal, and never past the declared size.
      const bytes = isUploadSource(body) ? streamedSource(body, options.size) : await readUploadBody(body, call());
      const size = bytes instanceof Uint8Array ? bytes.byteLength : bytes.size;
      let fileId = '';
      const presigned = async (): Promise<Outgoing> => {
        const target = await files.presignUpload({ filename: options.filename, contentType: options.contentType, size }, call());
        fileId = target.fileId;
        checkStorageUrl('files.upload(uploadUrl)', target.uploadUrl, apiBaseUrl);
        const headers = lowerCaseHeaders(target.headers);
        delete headers['content-length']; // the transport sets it from the body; some runtimes refuse it
        return { url: target.uploadUrl, method: 'PUT', headers, body: bytes };
      };
      try {
        await storage(await presigned(), { endpoint: 'PUT (presigned storage URL)', options: call(), renewTarget: { status: EXPIRED, run: presigned } });
      } catch (error) {
        // A source that yielded other than its size: that, not the transport's view of it.
        throw (bytes as Partial<CountedSource>).problem?.() ?? error;
      } finally {
        // Storage may have answered before it had the whole body: the read it left open ends here.
        (bytes as Partial<CountedSource>).release?.();
      }
      return { fileId, size };
    },

    async download(fileId: string, options: DownloadOptions = {}) {
      const call = steps(options);
      const read = options.as === 'stream' ? 'stream' : 'bytes';
      const link = async (): Promise<Outgoing> => {
        const { url } = await files.getDownloadUrl(fileId, call());
        checkStorageUrl('files.download(url)', url, apiBaseUrl);
        return { url, method: 'GET', headers: {}, body: null };
      };
      const answer = await storage(await link(), { endpoint: 'GET (presigned storage URL)', options: call(), read, renewTarget: { status: EXPIRED, run: link } });
      if (read === 'stream') return answer.stream ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      return answer.bytes ?? new Uint8Array(0);
    },
  } as FileHelpers;
}
