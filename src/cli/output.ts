// Everything `coveton` writes goes through here. Results go to stdout (a table, a line, or one
// JSON document with --json); messages, warnings, errors and the spinner go to stderr. Every
// stderr message is scrubbed of the API key the user gave, whatever produced it.
import Table from 'cli-table3';
import yoctoSpinner from 'yocto-spinner';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

/** Control characters from server data would move the cursor or clear the screen: show them as `?`. */
export function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Aligned columns, two spaces apart, no borders, no trailing blanks. */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: [...head],
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2, compact: true },
  });
  for (const row of rows) table.push(row.map(printable));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

const NO_SPINNER: Spinner = { update() {}, stop() {} };

export class Output {
  readonly #secrets: string[];

  constructor(
    readonly json: boolean,
    secrets: readonly (string | undefined)[] = [],
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.#secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  /** Adds a secret to scrub from messages (e.g. a key read from the environment). */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.#secrets.push(secret);
  }

  /** Replaces every known secret in `text`. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }

  /** One line of result on stdout. */
  line(text: string): void {
    this.stdout.write(`${this.scrub(text)}\n`);
  }

  /** The machine-readable result: one JSON document on stdout. */
  data(value: unknown): void {
    this.stdout.write(`${this.scrub(JSON.stringify(value, null, 2))}\n`);
  }

  table(head: readonly string[], rows: readonly (readonly string[])[]): void {
    this.line(renderTable(head, rows));
  }

  /**
   * Writes a secret to stdout as is: the one place a secret is printed (a new key's secret,
   * shown once). Never used for the key the user passed in.
   */
  secret(value: string): void {
    this.stdout.write(`${value}\n`);
  }

  /** A message for people, on stderr (kept out of --json output). */
  info(text: string): void {
    this.stderr.write(`${this.scrub(text)}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.scrub(`warning: ${text}`)}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${this.scrub(`error: ${text}`)}\n`);
  }

  /** An error as one JSON document on stderr, for --json callers. */
  errorData(value: unknown): void {
    this.stderr.write(`${this.scrub(JSON.stringify(value))}\n`);
  }

  /** Whether a person is watching stderr: the spinner and prompts need one. */
  get interactive(): boolean {
    return Boolean(this.stderr.isTTY) && process.env.TERM !== 'dumb' && !process.env.CI;
  }

  /** A spinner on a terminal only, never with --json, never in a pipe or a CI log. */
  spinner(text: string): Spinner {
    if (this.json || !this.interactive) return NO_SPINNER;
    const spinner = yoctoSpinner({ text, stream: this.stderr, handleSignals: false }).start();
    // Ctrl-C while spinning: put the cursor back before leaving (130 = interrupted).
    const interrupted = () => {
      spinner.stop();
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    return {
      update: (next) => {
        spinner.text = next;
      },
      stop: () => {
        process.removeListener('SIGINT', interrupted);
        spinner.stop();
      },
    };
  }
}
