// The outcomes a command reports by throwing, light enough for the program to load at start
// (the SDK's errors are described by errors.ts, loaded only when one happens).
import { EXIT, type ExitCode } from './exit-codes.js';

/** A mistake on the command line, found before anything is sent. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: ExitCode = EXIT.USAGE;
}

/** A failure the command already explained, with its exit code (e.g. contract violations). */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The user declined a confirmation or closed the input (Ctrl-D): `Cancelled.`, exit 6. */
export class Cancelled extends Error {
  override name = 'Cancelled';
  constructor() {
    super('Cancelled.');
  }
}

/** Ctrl-C: leave quietly with 130. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor() {
    super('Interrupted.');
  }
}

/** The command has printed its own outcome; only the exit code is left to give (e.g. `auth test`). */
export class Reported extends Error {
  override name = 'Reported';
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}
