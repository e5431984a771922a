// Stripe's rule, applied to the operations whose spec takes `Idempotency-Key` (API brief:
// Idempotency): the SDK makes one key per call, unless the caller passed one, and the retry
// loop re-sends the same Request headers, so every attempt of a call carries the same key.
import type { Middleware } from 'openapi-fetch';

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** `operations` holds "METHOD /path/template" for every operation that takes the header. */
export function idempotencyMiddleware(operations: ReadonlySet<string>): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      if (!operations.has(`${request.method} ${schemaPath}`)) return undefined;
      if (request.headers.has('idempotency-key')) return undefined;
      request.headers.set('Idempotency-Key', newIdempotencyKey());
      return request;
    },
  };
}
