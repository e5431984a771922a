import { CovetonError } from './base.js';

/** The request never got an HTTP response: connection refused or reset, DNS, TLS. Retried when safe. */
export class APIConnectionError extends CovetonError {
  override name = 'APIConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * True when the request provably never reached the server (the connection was refused, or the
 * host did not resolve): only then may a request carrying a one-time credential be sent again.
 */
export function neverReachedServer(error: unknown): boolean {
  if (!(error instanceof APIConnectionError) || error instanceof APITimeoutError) return false;
  const code = (error.cause as { cause?: { code?: unknown }; code?: unknown } | undefined)?.cause?.code ?? (error.cause as { code?: unknown })?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/**
 * An attempt ran past `timeout` (retried when safe), or the whole call ran past `deadline`
 * (never retried). `kind` says which.
 */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';
  constructor(
    readonly kind: 'attempt' | 'deadline',
    readonly ms: number,
  ) {
    super(
      kind === 'attempt'
        ? `Request timed out after ${ms} ms (the per-attempt timeout).`
        : `Request exceeded its deadline of ${ms} ms across all attempts.`,
    );
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kind: this.kind, ms: this.ms };
  }
}

/** The caller's `signal` aborted the call. Never retried. */
export class APIUserAbortError extends CovetonError {
  override name = 'APIUserAbortError';
  constructor(options?: { cause?: unknown }) {
    super('Request was aborted by the caller.', options);
  }
}
