// A `fetch` passed in the options, in Node (the Node entry only). It is handed a `Request`, and
// Node makes a Blob body into `blob.stream()`, which gives an in-memory Blob (a `File` built
// from bytes, a `new Blob([...])`) as one chunk: a copy of the whole of it, made before the first
// byte goes out (a 1 GiB File, 1 GiB more). So a Blob goes as a stream read one slice at a time,
// with its length, as any other re-readable source does (./fetch.ts); the Node transport
// (./node-undici.ts) reads a Blob the same way.
import { fetchSend } from './fetch.js';
import type { Send } from './outgoing.js';

/** How much of a Blob one read copies. */
const BLOB_SLICE = 64 * 1024;

/** A Blob as a stream of copies of at most `BLOB_SLICE` bytes, each made when the reader asks. */
export function blobSlices(blob: Blob): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (at >= blob.size) return controller.close();
        const end = Math.min(at + BLOB_SLICE, blob.size);
        controller.enqueue(new Uint8Array(await blob.slice(at, end).arrayBuffer()));
        at = end;
      },
    },
    { highWaterMark: 0 },
  );
}

/** A Send over the caller's fetch, a Blob body streamed a slice at a time. */
export function nodeFetchSend(fetchImpl: (request: Request) => Promise<Response>): Send {
  const send = fetchSend(fetchImpl, true);
  return (request, abort) => {
    const { body } = request;
    return send(body instanceof Blob ? { ...request, body: { size: body.size, stream: () => blobSlices(body) } } : request, abort);
  };
}
