// A streamed body as the caller gets it (a download with `as: 'stream'`), the one place its
// errors are typed: a connection reset mid-body (undici's SocketError, fetch's `TypeError:
// terminated`) reaches the reader as the APIConnectionError the same failure is before the
// body is handed over, and a timeout or the caller's abort as APITimeoutError or
// APIUserAbortError (./attempt.ts `settle`, through ./outcome.ts `connectionError`). The
// attempt's timer and signal cover the body until it ends, breaks or is cancelled. Only the file
// transfer chunk imports this, so nothing of it is loaded up front.
import type { Answer } from './attempt.js';

/**
 * A check of the body as it flows (a download's declared size): given each chunk, then
 * `undefined` at the end, it returns what of the chunk goes on and the error that makes the
 * body wrong, if any. That error goes through `settle`, so the reader and `onResponse` get the
 * same one (hostile review L5: checked in a stream piped after this one, it reached the reader
 * while `onResponse`, settled first, was told the body had ended well).
 */
export type BodyCheck = (chunk: Uint8Array | undefined) => [pass?: Uint8Array, wrong?: unknown];

export function handOver({ stream, settle }: Answer, check?: BodyCheck): ReadableStream<Uint8Array> {
  if (!stream) return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          const [pass, wrong] = check ? check(value) : [value];
          // Called only with a read waiting (nothing queued), which takes this part before an error.
          if (pass) controller.enqueue(pass);
          if (wrong) {
            // The rest of the body is not wanted: its connection is let go.
            void reader.cancel(wrong).catch(() => {});
            throw wrong;
          }
          if (done) {
            settle?.();
            controller.close();
          }
        } catch (error) {
          controller.error(settle ? settle(error) : error);
        }
      },
      cancel(reason) {
        settle?.();
        return reader.cancel(reason);
      },
    },
    // A chunk is read only when the caller asks for one: the body's own backpressure holds.
    { highWaterMark: 0 },
  );
}
