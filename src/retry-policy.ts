// Which failures are worth another attempt, and for which requests.

/** Methods that RFC 9110 (section 9.2.2) calls idempotent: repeating them changes nothing more. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * 408, 429 and the gateway/server errors are transient. 409 is not: in this API it is a state
 * conflict (duplicate, stale write, final state) that the same request will hit again.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * A request may be sent again only if repeating it cannot do something twice: an idempotent
 * method, or any request carrying an `Idempotency-Key` (the server replays the first result,
 * API brief: Idempotency). A POST or PATCH without a key is never repeated.
 */
export function isSafeToRepeat(method: string, headers: Record<string, string>): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || 'idempotency-key' in headers;
}
