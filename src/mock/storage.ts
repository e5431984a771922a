// The storage side of presigned URLs (API brief, "files"): uploads and downloads go to this
// mock's own origin under `/__storage/`, outside the API. A URL carries its own token and expiry;
// a request carrying `Authorization` or `X-API-Key` is refused, so a test proves the SDK never
// sends API credentials to storage. Bytes are held in memory under a total cap (oldest evicted).
import { createHash } from 'node:crypto';
import { base62 } from '../tools/ids.js';

export const DEFAULT_STORAGE_CAP = 256 * 1024 * 1024;
export const UPLOAD_URL_SECONDS = 900;
export const DOWNLOAD_URL_SECONDS = 300;
/** Presigned URLs the storage remembers; past it the oldest stops working (like the collection cap). */
export const MAX_GRANTS = 10_000;

interface Grant {
  fileId: string;
  kind: 'upload' | 'download';
  expiresAt: number;
}

interface StoredFile {
  bytes: Buffer;
  sha256: string;
}

export interface StorageAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** The size and type the API recorded for a file at presign, if it knows the file. */
type Expected = (fileId: string) => { size: number; contentType: string } | undefined;

export interface FileStorage {
  /** A URL path+query that allows one kind of access to `fileId` until `seconds` from now. */
  grant(fileId: string, kind: Grant['kind'], seconds: number): string;
  has(fileId: string): boolean;
  /** Holds `bytes` as the uploaded content of `fileId` (a seeded upload). */
  seed(fileId: string, bytes: Buffer): void;
  /**
   * The refusal of a request to `/__storage/...` that its URL, method and headers decide (the
   * URL's token and expiry, the kind of access it grants, credentials, an upload's
   * Content-Length), or undefined: asked before the body is read, so a refused upload is never
   * buffered.
   */
  refusal(method: string, url: URL, headers: Record<string, string>, expected: Expected): StorageAnswer | undefined;
  /** Answers a request to `/__storage/...` (its refusal, if it has one). */
  handle(method: string, url: URL, headers: Record<string, string>, body: Buffer, expected: Expected): StorageAnswer;
  clear(): void;
  /** The bytes of uploaded files held now. */
  bytes(): number;
}

const json = (status: number, code: string, message: string): StorageAnswer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code, message } }),
});

export function createStorage(now: () => number, cap = DEFAULT_STORAGE_CAP): FileStorage {
  const grants = new Map<string, Grant>();
  const files = new Map<string, StoredFile>();
  let total = 0;

  function put(fileId: string, bytes: Buffer): StoredFile {
    const old = files.get(fileId);
    if (old) total -= old.bytes.length;
    while (total + bytes.length > cap && files.size > 0) {
      const [oldest, f] = files.entries().next().value as [string, StoredFile];
      files.delete(oldest);
      total -= f.bytes.length;
    }
    const stored = { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    files.set(fileId, stored);
    total += bytes.length;
    return stored;
  }

  function refusal(method: string, url: URL, headers: Record<string, string>, expected: Expected): StorageAnswer | undefined {
    if (headers.authorization !== undefined || headers['x-api-key'] !== undefined) {
      return json(400, 'BAD_REQUEST', 'Storage refuses requests carrying Authorization or X-API-Key: presigned URLs carry their own signature, never an API credential.');
    }
    const fileId = url.pathname.split('/')[2] ?? '';
    const grant = grants.get(url.searchParams.get('token') ?? '');
    if (!grant || grant.fileId !== fileId) return json(403, 'FORBIDDEN', 'The storage URL signature is invalid.');
    if (grant.expiresAt <= now()) return json(403, 'FORBIDDEN', 'The storage URL has expired: ask the API for a new one.');
    const upload = method === 'PUT' && grant.kind === 'upload';
    if (!upload && !((method === 'GET' || method === 'HEAD') && grant.kind === 'download')) {
      return json(405, 'BAD_REQUEST', `This storage URL allows ${grant.kind === 'upload' ? 'PUT' : 'GET'} only.`);
    }
    if (!upload) return undefined;
    const want = expected(fileId);
    if (!want) return json(404, 'NOT_FOUND', `No presigned file ${fileId}.`);
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) !== want.size) return json(400, 'BAD_REQUEST', `The upload has ${declared} bytes; the presign said ${want.size}.`);
    return undefined;
  }

  return {
    grant(fileId, kind, seconds) {
      const token = base62(32);
      const at = now();
      const expiresAt = at + seconds * 1000;
      // Every presign and download link adds a grant: without a bound a long CI run grew the
      // process by one per call. Expired grants go first, then the oldest.
      if (grants.size >= MAX_GRANTS) {
        for (const [t, g] of grants) if (g.expiresAt <= at) grants.delete(t);
        while (grants.size >= MAX_GRANTS) grants.delete(grants.keys().next().value as string);
      }
      grants.set(token, { fileId, kind, expiresAt });
      return `/__storage/${fileId}?token=${token}&expires=${Math.floor(expiresAt / 1000)}`;
    },
    has: (fileId) => files.has(fileId),
    seed: (fileId, bytes) => void put(fileId, bytes),
    refusal,
    handle(method, url, headers, body, expected) {
      const refused = refusal(method, url, headers, expected);
      if (refused) return refused;
      const fileId = url.pathname.split('/')[2] ?? '';
      if (method === 'PUT') {
        // A body without Content-Length (chunked) is measured once read.
        const want = expected(fileId)!;
        if (body.length !== want.size) return json(400, 'BAD_REQUEST', `The upload has ${body.length} bytes; the presign said ${want.size}.`);
        const stored = put(fileId, body);
        return { status: 200, headers: { etag: `"${stored.sha256}"` }, body: '' };
      }
      const stored = files.get(fileId);
      if (!stored) return json(404, 'NOT_FOUND', `File ${fileId} has no bytes (evicted from the mock's storage).`);
      return {
        status: 200,
        headers: { 'content-type': expected(fileId)?.contentType ?? 'application/octet-stream', etag: `"${stored.sha256}"` },
        body: stored.bytes,
      };
    },
    clear() {
      grants.clear();
      files.clear();
      total = 0;
    },
    bytes: () => total,
  };
}
