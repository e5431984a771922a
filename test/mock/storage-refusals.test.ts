// Storage refuses an upload from its URL, method and headers alone, before it reads the body: a
// forged or expired URL, a download URL used to upload, API credentials, a Content-Length other
// than the presigned size. The answer comes while the client is still sending, and the connection
// is closed after it, so no refused upload is buffered (as the API's 413).
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PEOPLE, httpClient } from './http.js';
import { useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, signIn } = httpClient(() => mock().url);
/** More than the loopback socket buffers hold: a body read to its end before the answer is all sent. */
const SIZE = 32 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x41);

interface Refusal {
  status: number;
  code: string;
  connection: string | undefined;
  /** Whether the client was still sending the body when the answer came. */
  answeredEarly: boolean;
}

/** PUTs a SIZE-byte body to `path`, one chunk at a time, and reports the answer. */
function put(path: string, headers: Record<string, string> = {}): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(`${mock().url}${path}`, { method: 'PUT', headers: { 'content-length': String(SIZE), ...headers } }, (res) => {
      const answeredEarly = sent < SIZE;
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, code: JSON.parse(text).error.code, connection: res.headers.connection, answeredEarly }));
    });
    // The server closes the connection while the body is still coming: an expected end of the write.
    req.on('error', (error: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? undefined : reject(error)));
    const pump = () => {
      while (sent < SIZE && !req.destroyed) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

const early = (status: number, code: string): Refusal => ({ status, code, connection: 'close', answeredEarly: true });

describe('storage refuses an upload before reading its body', () => {
  it('a forged token: 403, answered while the body is still coming, connection closed', async () => {
    expect(await put('/__storage/file_forged1?token=forged&expires=1')).toEqual(early(403, 'FORBIDDEN'));
  });

  it('a real upload URL with API credentials, or another Content-Length than presigned; a download URL used to upload', async () => {
    const { accessToken: token } = await signIn(PEOPLE.ada);
    const presigned = await call('POST', '/files/presign', { token, body: { filename: 'a.bin', contentType: 'application/octet-stream', size: 3 } });
    expect(presigned.status).toBe(201);
    const upload = new URL(presigned.body.uploadUrl as string);
    const path = upload.pathname + upload.search;
    expect(await put(path, { authorization: `Bearer ${token}` })).toEqual(early(400, 'BAD_REQUEST'));
    expect(await put(path)).toEqual(early(400, 'BAD_REQUEST'));
    const download = await call('GET', '/files/file_92abH4tW/download', { token });
    expect(download.status).toBe(200);
    const url = new URL(download.body.url as string);
    expect(await put(url.pathname + url.search)).toEqual(early(405, 'BAD_REQUEST'));
    // The upload URL still takes the presigned bytes.
    const ok = await fetch(presigned.body.uploadUrl, { method: 'PUT', body: 'abc' });
    expect(ok.status).toBe(200);
  });
});
