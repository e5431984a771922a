// A streamed body as the caller gets it (a download with `as: 'stream'`), the one place its
// errors are typed: a connection reset mid-body (undici's SocketError, fetch's `TypeError:
// terminated`) reaches the reader as the APIConnectionError the same failure is before the
// body is handed over, and a timeout or the caller's abort as APITimeoutError or
// APIUserAbortError (./attempt.ts `settle`, through ./outcome.ts `connectionError`). The
// attempt's timer and signal cover the body until it ends, breaks or is cancelled. Only the file
// transfer chunk imports this, so nothing of it is loaded up front.
import type { Answer } from './attempt.js';

export function handOver({ stream, settle }: Answer): ReadableStream<Uint8Array> {
  if (!stream) return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          settle?.();
          controller.close();
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
