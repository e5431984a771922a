// Files (API brief, "files"): presign records the file and returns an upload URL on the mock's
// own origin; the download URL works once the bytes have been PUT. See storage.ts.
import type { Handler } from '../engine.js';
import { newId } from '../../tools/ids.js';
import { notFound } from '../reply.js';
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from '../storage.js';

const presign: Handler = (call, env) => {
  const fileId = newId('file_');
  const { filename, contentType, size } = call.body as { filename: string; contentType: string; size: number };
  env.store.put('files', { id: fileId, filename, contentType, size, _userId: call.principal?.userId, createdAt: new Date(env.now()).toISOString() });
  return {
    status: 201,
    body: {
      fileId,
      uploadUrl: env.origin() + env.storage.grant(fileId, 'upload', UPLOAD_URL_SECONDS),
      method: 'PUT',
      headers: { 'Content-Type': contentType, 'Content-Length': String(size) },
      expiresIn: UPLOAD_URL_SECONDS,
    },
  };
};

const download: Handler = (call, env) => {
  const file = env.store.get('files', call.params.id!);
  if (!file || !env.storage.has(file.id)) throw notFound('uploaded file', call.params.id!);
  return {
    status: 200,
    body: {
      fileId: file.id,
      url: env.origin() + env.storage.grant(file.id, 'download', DOWNLOAD_URL_SECONDS),
      expiresIn: DOWNLOAD_URL_SECONDS,
      size: file.size,
      contentType: file.contentType,
      filename: file.filename,
    },
  };
};

export const fileRules: Record<string, Handler> = { presignFileUpload: presign, getFileDownloadUrl: download };
