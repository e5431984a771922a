// Reading a body with a ceiling. A server (or a proxy, or a gzip bomb) can send more than any
// caller wants in memory; the SDK stops at `limit` decoded bytes and fails with a typed error.
import { BodyTooLargeError } from '../errors/transport.js';

/** Concatenates chunks from `source`, failing as soon as more than `limit` bytes arrived. */
export async function readCapped(source: AsyncIterable<Uint8Array>, limit: number, cancel: () => void): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > limit) {
      cancel();
      throw new BodyTooLargeError(limit);
    }
    parts.push(chunk);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

const decoder = new TextDecoder();
export const decode = (bytes: Uint8Array): string => decoder.decode(bytes);

/** A web stream as an async iterable (not every runtime makes ReadableStream iterable). */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      yield value;
    }
  } finally {
    // Left early (the cap was hit): cancel through the reader. `stream.cancel()` on a locked
    // stream only rejects, and the connection stayed open, paused, holding the unread body.
    if (!ended) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
