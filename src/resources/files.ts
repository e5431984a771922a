// Encrypted file transfer (seed 002, Files): presign with the byte size, PUT the ciphertext
// straight to storage, reference the file id. The bytes never pass through the API and carry no
// Coveton credential. A PUT to a presigned URL is repeatable, so it retries like any safe
// request; a URL that expired (storage answers 403) is presigned again, once: a renewal the
// pipeline's policy runs (src/pipeline/policy.ts), not a loop of this file's own.
import type { Resources } from '../../generated/resources.js';
import { CovetonInputError } from '../errors/base.js';
import { APITimeoutError, UnexpectedResponseError } from '../errors/transport.js';
import { lowerCaseHeaders, type Outgoing } from '../transport/outgoing.js';
import type { Pipeline } from '../pipeline/index.js';
import { handOver } from '../pipeline/body-stream.js';
import { checkStorageUrl } from '../transport/storage-url.js';
import { isStorageCredential } from '../transport/storage-headers.js';
import { isUploadSource, readUploadBody, streamedSource, type CountedSource } from './upload-body.js';
import type { DownloadOptions, FileHelpers, UploadBody, UploadOptions } from '../public/files.js';
import type { RequestOptions } from '../public/request-options.js';
import type { ResolvedOptions } from '../options.js';

/** Storage answers 403 to a presigned URL that has expired. */
const EXPIRED = 403;

/**
 * The values of a presigned URL's query, as sent and decoded (its credential, signature, session
 * token...), into `secrets`: the transfer's own, redacted from its errors and its retries' causes
 * as the API key is, since storage may echo them (an S3 SignatureDoesNotMatch does). Short values
 * (an expiry in seconds, `host`) are no secret and would only blank out common words.
 */
function querySecrets(url: string, secrets: string[]): void {
  const { search, searchParams } = new URL(url);
  const values = [...search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1)), ...searchParams.values()];
  for (const value of values) if (value.length >= 8) secrets.push(value);
}

export function fileHelpers(
  files: Resources['files'],
  storage: Pipeline,
  /** `baseUrl`: a storage URL is held to its scheme (see storage-url.ts); `maxResponseBytes`: what an encoded download may decode to. */
  { baseUrl: apiBaseUrl, maxResponseBytes }: Pick<ResolvedOptions, 'baseUrl' | 'maxResponseBytes'>,
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
      const secrets: string[] = [];
      const presigned = async (): Promise<Outgoing> => {
        const target = await files.presignUpload({ filename: options.filename, contentType: options.contentType, size }, call());
        // The id the upload resolves with, the file's only handle: without one, nothing is sent.
        // (201 is the spec's status: the resource method hands over the data alone.)
        if (typeof target.fileId !== 'string' || !target.fileId) throw new UnexpectedResponseError('files.presignUpload (POST /files/presign)', 201, 'no usable fileId');
        fileId = target.fileId;
        const url = checkStorageUrl('files.upload(uploadUrl)', target.uploadUrl, apiBaseUrl);
        querySecrets(url, secrets);
        const headers = lowerCaseHeaders(target.headers);
        delete headers['content-length']; // the transport sets it from the body; some runtimes refuse it
        // Its credentials (an SSE-C key, a session token) are secrets too: a hook sees them redacted.
        for (const name in headers) if (isStorageCredential(name)) secrets.push(headers[name]!);
        return { url, method: 'PUT', headers, body: bytes };
      };
      try {
        await storage(await presigned(), { endpoint: 'PUT (presigned storage URL)', options: call(), renewTarget: { status: EXPIRED, run: presigned }, secrets });
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
      /** The byte count the API declared for the file (FileDownload.size): the one guard against a short or endless body. */
      let size = 0;
      const secrets: string[] = [];
      const link = async (): Promise<Outgoing> => {
        const target = await files.getDownloadUrl(fileId, call());
        size = target.size;
        // The spec's bounds (FileDownload.yaml): without a size, a cut-off body could not be told from a whole one.
        if (!Number.isInteger(size) || size < 1 || size > 2 ** 31) throw new UnexpectedResponseError('files.getDownloadUrl (GET /files/{id}/download)', 200, 'no usable size');
        const url = checkStorageUrl('files.download(url)', target.url, apiBaseUrl);
        querySecrets(url, secrets);
        return { url, method: 'GET', headers: {}, body: null };
      };
      const answer = await storage(await link(), { endpoint: 'GET (presigned storage URL)', options: call(), read, renewTarget: { status: EXPIRED, run: link }, secrets });
      const { status } = answer.reply;
      // A transport cannot tell a close-delimited body cut off mid-way from a whole one, and a
      // 204 or a 206 is not the object: the declared size and a 200 are what make a download.
      const wrong = (what: string) => new UnexpectedResponseError('files.download', status, `${what} (the API declared ${size} bytes)`);
      // An object stored with a Content-Encoding (gzip, br...) comes as stored and the transport
      // decodes it: the declared size is the encoded object's, not what the reader gets, so it
      // is not compared then. A body the connection cut off still fails on both transports; a
      // gzip or br stream that ends early inside a whole HTTP message fails on undici only
      // (fetch's decoder is lenient: documented in the files guide).
      const coding = answer.reply.headers.get('content-encoding')?.trim().toLowerCase();
      const encoded = !!coding && coding !== 'identity';
      // The most the reader gets. As sent: the declared size. Decoded: a few bytes may inflate to
      // GBs (a gzip or br bomb) or never end, so the larger of the declared size and
      // maxResponseBytes: storage gets no more out of an encoding than the size it could send
      // as is, or than any answer may decode to in memory; an encoded file of client-encrypted
      // bytes, which do not compress, decodes to about its stored size. Counted as it flows:
      // the chunk that crosses the bound hands on what fits and errors the stream, which cancels
      // the body (the connection is let go); a body that ends short errors at its end. Checked inside the handed-over body (../pipeline/body-stream.ts), so onResponse is told
      // the error the reader gets.
      const limit = encoded ? Math.max(size, maxResponseBytes) : size;
      let seen = 0;
      const body =
        read === 'stream'
          ? handOver(answer, (chunk) => {
              if (!chunk) return [undefined, !encoded && seen < size ? wrong(`${seen} bytes`) : undefined];
              const room = limit - seen;
              seen += chunk.byteLength;
              if (seen <= limit) return [chunk];
              return [room ? chunk.subarray(0, room) : undefined, wrong(encoded ? `more than ${limit} bytes once decoded` : 'more bytes')];
            })
          : undefined;
      if (status !== 200) {
        void body?.cancel().catch(() => {});
        throw wrong('no whole file (only a 200 is one)');
      }
      if (read === 'bytes') {
        // Read whole under maxResponseBytes already (BodyTooLargeError past it), decoded or not.
        const got = answer.bytes?.byteLength ?? 0;
        if (!encoded && got !== size) throw wrong(`${got} bytes`);
        return answer.bytes;
      }
      return body;
    },
  } as FileHelpers;
}
