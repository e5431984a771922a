// Everything `coveton` writes goes through here. Results go to stdout (a table, a line, or JSON
// with --json); messages, warnings, errors and the spinner go to stderr. Every message is passed
// through the SDK's redaction (util/redact.ts) with the key the user gave. Server text never
// drives the terminal, and this is the one place that sees to it (terminal-text.ts): messages and
// lines lose escape sequences and control characters, JSON has them escaped, and a secret that
// holds one is refused rather than printed.
import { EXIT } from '../tools/exit-codes.js';
import { CommandFailure } from '../tools/failures.js';
import { hideSecrets, redact } from '../util/redact.js';
import { onInterrupt } from './interrupt.js';
import type { Io } from './io.js';
import { painter, statusColor, type Paint } from './style.js';
import { StreamedTable, tsvLine } from './table.js';
import { hasControls, jsonText, printable } from './terminal-text.js';
import { stripVTControlCharacters } from 'node:util';

/**
 * `hide` (a redaction) applied to `text` as a terminal would show it too. A server can split the
 * user's key with an escape sequence ("ak_tes\x1b[mt_..."): hidden first, it was not found, and
 * printing then removed the sequence and showed the key whole (a review's repro). When
 * the text without escape sequences holds a secret the text itself did not, that text, hidden,
 * is used (its escape sequences are gone, which printing would have done anyway).
 */
function hideWhole(text: string, hide: (text: string) => string): string {
  const hidden = hide(text);
  const bare = stripVTControlCharacters(hidden);
  if (bare === hidden) return hidden;
  const bareHidden = hide(bare);
  return bareHidden === bare ? hidden : bareHidden;
}

/** A part of a line: plain text, or text in a colour (painted after it is made printable). */
export type Part = string | readonly [color: Parameters<Paint>[0] | undefined, text: string];

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

const NO_SPINNER: Spinner = { update() {}, stop() {} };

/** Rows printed as they arrive: a table on a terminal, tab-separated lines in a pipe. */
export interface RowWriter {
  rows(batch: readonly (readonly string[])[]): void;
}

/** A JSON array printed item by item, byte for byte what JSON.stringify(all, null, 2) gives. */
export interface ArrayWriter {
  items(batch: readonly unknown[]): void;
  end(): void;
}

export class Output {
  readonly #secrets: string[] = [];
  readonly paintOut: Paint;
  readonly paintErr: Paint;

  constructor(
    readonly io: Io,
    readonly json: boolean,
    secrets: readonly (string | undefined)[] = [],
  ) {
    for (const secret of secrets) this.addSecret(secret);
    this.paintOut = painter(io.stdout, io.env);
    this.paintErr = painter(io.stderr, io.env);
  }

  /** Adds a secret to keep out of every message (e.g. a key read from the environment). */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4 && !this.#secrets.includes(secret)) this.#secrets.push(secret);
  }

  /** `text` without the user's key and anything secret-shaped, and without escape sequences or control characters. */
  scrub(text: string): string {
    return printable(hideWhole(text, (t) => redact(t, this.#secrets)));
  }

  /** One line of result on stdout; coloured parts are painted after they are made printable. */
  line(...parts: readonly Part[]): void {
    const text = parts.map((part) => {
      if (typeof part === 'string') return this.scrub(part);
      const [color, value] = part;
      const clean = this.scrub(value);
      return color ? this.paintOut(color, clean) : clean;
    });
    this.io.stdout.write(`${text.join('')}\n`);
  }

  /**
   * Server data on its way to stdout, with the user's key hidden wherever a server echoed it.
   * Only the known key: a result may hold secret-shaped values on purpose (a new key's secret).
   */
  #known(value: unknown): unknown {
    return mapStrings(value, (text) => hideWhole(text, (t) => hideSecrets(t, this.#secrets)));
  }

  /** The machine-readable result: one JSON document on stdout. */
  data(value: unknown): void {
    this.io.stdout.write(`${jsonText(this.#known(value), 2)}\n`);
  }

  /** `flexible`: the free-text columns, cut first when the terminal is narrow. */
  rowWriter(head: readonly string[], statusColumn?: number, flexible: readonly number[] = []): RowWriter {
    const writer = this.#rowWriter(head, statusColumn, flexible);
    return { rows: (batch) => writer.rows(this.#known(batch) as string[][]) };
  }

  #rowWriter(head: readonly string[], statusColumn?: number, flexible: readonly number[] = []): RowWriter {
    // A terminal gets a table; a pipe or a file, tab-separated lines.
    if (!this.io.stdout.isTTY) {
      return { rows: (batch) => batch.forEach((row) => this.io.stdout.write(`${tsvLine(row)}\n`)) };
    }
    const paint = this.paintOut;
    const cell = (text: string, column: number) => {
      const color = column === statusColumn ? statusColor(text) : undefined;
      return color ? paint(color, text) : text;
    };
    return new StreamedTable(head, (line) => this.io.stdout.write(`${line}\n`), this.io.stdout.columns, (t) => paint('bold', t), cell, flexible);
  }

  /** All rows at once, with the same layout as rowWriter. */
  table(head: readonly string[], rows: readonly (readonly string[])[]): void {
    this.rowWriter(head).rows(rows);
  }

  arrayWriter(): ArrayWriter {
    let count = 0;
    const write = (text: string) => this.io.stdout.write(text);
    return {
      items: (batch) => {
        for (const item of batch) {
          const body = jsonText(this.#known(item), 2).replace(/\n/g, '\n  ');
          write(`${count === 0 ? '[\n' : ',\n'}  ${body}`);
          count++;
        }
      },
      end: () => write(count === 0 ? '[]\n' : '\n]\n'),
    };
  }

  /**
   * Writes a secret to stdout as is: the one place a secret is printed (a new key's secret,
   * shown once). Never used for the key the user passed in. A secret holding a control character
   * is not printed (changed, it would not work; as is, it would drive the terminal): `what` names
   * it in the failure, so it can be revoked.
   */
  secret(value: string, what: string): void {
    if (hasControls(value)) {
      throw new CommandFailure(`the secret of ${what} holds control characters, so it was not printed; revoke it, or read it with --json (escaped)`, EXIT.API_ERROR);
    }
    this.io.stdout.write(`${value}\n`);
  }

  /** A message for people, on stderr (kept out of --json output). */
  info(text: string): void {
    this.io.stderr.write(`${this.scrub(text)}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.paintErr('yellow', 'warning:')} ${this.scrub(text)}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(`${this.paintErr('red', 'error:')} ${this.scrub(text)}\n`);
  }

  /**
   * An error as one JSON document on stderr, for --json callers. Each string is redacted (and
   * bounded) on its own: redacting the serialized document cut it at 4096 characters, mid-string,
   * and stderr was no longer JSON.
   */
  errorData(value: unknown): void {
    this.io.stderr.write(`${jsonText(mapStrings(value, (text) => hideWhole(text, (t) => redact(t, this.#secrets))))}\n`);
  }

  /** Whether a person is watching stderr: the spinner and prompts need one. */
  get interactive(): boolean {
    return Boolean(this.io.stderr.isTTY) && this.io.env.TERM !== 'dumb' && !this.io.env.CI;
  }

  /** A spinner on a terminal only, never with --json, never in a pipe or a CI log. */
  spinner(text: string): Spinner {
    if (this.json || !this.interactive) return NO_SPINNER;
    let stopped = false;
    let stopSpinner = () => {};
    let dispose = () => {};
    // Loaded only when a person is watching: the pipe and --json paths never pay for it.
    const ready = import('yocto-spinner').then(({ default: yoctoSpinner }) => {
      if (stopped) return undefined;
      const spinner = yoctoSpinner({ text, stream: this.io.stderr as NodeJS.WriteStream, handleSignals: false }).start();
      stopSpinner = () => spinner.stop();
      dispose = onInterrupt(stopSpinner);
      return spinner;
    });
    return {
      update: (next) => {
        void ready.then((spinner) => {
          if (spinner && !stopped) spinner.text = next;
        });
      },
      stop: () => {
        if (stopped) return;
        stopped = true;
        dispose();
        stopSpinner();
      },
    };
  }
}

/** JSON data with `edit` applied to every string in it, property names included. */
function mapStrings(value: unknown, edit: (text: string) => string): unknown {
  if (typeof value === 'string') return edit(value);
  if (typeof value !== 'object' || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return mapStrings(toJSON.call(value), edit);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, edit));
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [edit(name), mapStrings(item, edit)]));
}
