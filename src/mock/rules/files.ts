// Files (API brief, "files"): presign records the file and returns an upload URL on the mock's
// own origin; the download URL works once the bytes have been PUT, for whoever x-access lets see
// the file. See storage.ts.
// A presigned file waits in `_presigned` until its bytes arrive, and only then joins `files`:
// the spec's rules name `files` for "an uploaded file" (MessageCreate.fileIds: "Uploaded files
// to attach ... each must exist (else 404)"), so a message could attach a file never uploaded
// (review of the mock, finding 9) while the download said it had no bytes.
import type { Call, Handler, MockEnv } from '../engine.js';
import { newId } from '../../tools/ids.js';
import { notFound } from '../reply.js';
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from '../storage.js';

/** Storage URLs point where the client reached the mock (its Host, checked by cors.ts), so they work from a container too. */
const originOf = (call: Call, env: MockEnv) => (call.headers.host ? `http://${call.headers.host}` : env.origin());

const PRESIGNED = '_presigned';

/** The size and type presign recorded for a file, uploaded or not: what storage checks an upload against. */
export function presignedFile(env: MockEnv, fileId: string): { size: number; contentType: string } | undefined {
  const file = env.store.get(PRESIGNED, fileId) ?? env.store.get('files', fileId);
  return file ? { size: file.size, contentType: file.contentType } : undefined;
}

/** Its bytes arrived: the file is one of `files` now, which messages may attach and recipients download. */
export function fileUploaded(env: MockEnv, fileId: string): void {
  const file = env.store.get(PRESIGNED, fileId);
  if (!file) return;
  env.store.remove(PRESIGNED, fileId);
  env.store.put('files', file);
}

const presign: Handler = (call, env) => {
  const fileId = newId('file_');
  const { filename, contentType, size } = call.body as { filename: string; contentType: string; size: number };
  env.store.put(PRESIGNED, { id: fileId, filename, contentType, size, _userId: call.principal?.userId, createdAt: new Date(env.now()).toISOString() });
  return {
    status: 201,
    body: {
      fileId,
      uploadUrl: originOf(call, env) + env.storage.grant(fileId, 'upload', UPLOAD_URL_SECONDS),
      method: 'PUT',
      headers: { 'Content-Type': contentType, 'Content-Length': String(size) },
      expiresIn: UPLOAD_URL_SECONDS,
    },
  };
};

const download: Handler = (call, env) => {
  // x-access found the file and checked that the caller may see it (its uploader, or a
  // participant of a chat with a message that references it); its bytes must be there too.
  const file = call.ctx.target!;
  if (!env.storage.has(file.id)) throw notFound('uploaded file', call.params.id!);
  return {
    status: 200,
    body: {
      fileId: file.id,
      url: originOf(call, env) + env.storage.grant(file.id, 'download', DOWNLOAD_URL_SECONDS),
      expiresIn: DOWNLOAD_URL_SECONDS,
      size: file.size,
      contentType: file.contentType,
      filename: file.filename,
    },
  };
};

export const fileRules: Record<string, Handler> = { presignFileUpload: presign, getFileDownloadUrl: download };
