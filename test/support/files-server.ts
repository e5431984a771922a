// An API and a presigned storage bucket on one scripted server, for the file helpers:
// /files/presign and /files/{id}/download answer as the API does, /storage/* is the bucket
// (presigned URLs with an X-Signature query), which can answer scripted faults first.
import { json, startFaultServer, type FaultServer, type Recorded } from './fault-server.js';

/** What storage holds for a file nobody uploaded here: the one byte its download link declares. */
const UNKNOWN = Buffer.from('x');

/** Starts the server; `storageFaults` are the statuses the bucket answers first, one per request. */
export async function startFilesServer(storageFaults: number[] = []) {
  const stored = new Map<string, Buffer>();
  const storageRequests: Recorded[] = [];
  let presigns = 0;
  const server: FaultServer = await startFaultServer((req, res) => {
    if (req.path === '/files/presign') {
      presigns++;
      const fileId = `file_${presigns}abc`;
      return json(res, 201, {
        fileId,
        uploadUrl: `${server.url}/storage/${fileId}?X-Signature=sig${presigns}`,
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(JSON.parse(req.body).size) },
        expiresIn: 900,
      });
    }
    const download = req.path.match(/^\/files\/(file_\w+)\/download$/);
    if (download) {
      return json(res, 200, { fileId: download[1], url: `${server.url}/storage/${download[1]}?X-Signature=get`, expiresIn: 300, size: (stored.get(download[1]!) ?? UNKNOWN).length, contentType: 'application/octet-stream', filename: 'x.enc' });
    }
    if (req.path.startsWith('/storage/')) {
      storageRequests.push(req);
      const fault = storageFaults.shift();
      if (fault) {
        res.writeHead(fault, { 'Content-Type': 'application/xml' });
        return res.end(fault === 403 ? '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>' : '<Error/>');
      }
      const id = req.path.split('?')[0]!.slice('/storage/'.length);
      if (req.method === 'PUT') {
        stored.set(id, req.raw);
        res.writeHead(200).end();
      } else {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(stored.get(id) ?? UNKNOWN);
      }
      return;
    }
    json(res, 404, { error: { code: 'NOT_FOUND', message: req.path } });
  });
  return { server, stored, storageRequests, presigns: () => presigns };
}

