/**
 * The one base class of every error the SDK throws, so `catch (e) { if (e instanceof CovetonError) }`
 * covers them all. Subclasses: the API errors (one per error code), the transport errors
 * (connection, timeout, abort) and {@link CovetonInputError} for bad arguments.
 */
export class CovetonError extends Error {
  override name = 'CovetonError';

  /** A plain-object form for logs and serialization; never holds a secret. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
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

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}
