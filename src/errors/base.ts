/**
 * The one base class of every error the SDK throws, so `catch (e) { if (e instanceof CovetonError) }`
 * covers them all. Subclasses: the API errors (one per error code), the transport errors
 * (connection, timeout, abort, redirect, response too large) and {@link CovetonInputError} for bad arguments.
 */
const inspect = Symbol.for('nodejs.util.inspect.custom');

/** What a thrown value is, by name only (for logs: a message may hold what a server sent). */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/**
 * A cause the SDK did not make (a runtime's network error) shows its name and code only. Called
 * for a cause that is there (`[inspect]` below): undefined never reaches it.
 */
function describeCause(cause: unknown): string {
  if (cause instanceof CovetonError) return cause[inspect]();
  const code = (cause as { code?: unknown })?.code ?? (cause as { cause?: { code?: unknown } })?.cause?.code;
  return `${errorName(cause)}${typeof code === 'string' ? ` (${code})` : ''}`;
}

export class CovetonError extends Error {
  override name = 'CovetonError';

  /**
   * A plain-object form for logs and serialization: the name, the message and the error's own
   * fields, but never `headers` or `body` (what the server sent as is); never holds a secret.
   */
  toJSON(): Record<string, unknown> {
    const { headers: _headers, body: _body, ...fields } = this as Record<string, unknown>;
    return { name: this.name, message: this.message, ...fields };
  }

  /**
   * What `util.inspect` (and so `console.log`) shows: the stack, whose first line is the
   * redacted message, and `toJSON()`. Never the raw fields (headers, a foreign error's cause)
   * that may echo what a server or proxy sent.
   */
  [inspect](): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    const cause = this.cause === undefined ? '' : `\n  [cause]: ${describeCause(this.cause)}`;
    return `${this.stack ?? `${this.name}: ${this.message}`} ${JSON.stringify(fields)}${cause}`;
  }
}

/** A bad option or argument, caught before anything is sent. `field` names the offender. */
export class CovetonInputError extends CovetonError {
  override name = 'CovetonInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
