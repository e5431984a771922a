// Where `coveton` reads and writes. The bin hands the process's streams; tests hand fakes, so
// the whole program runs in process (program.ts) with a terminal or a pipe of their choosing.
import type { Readable, Writable } from 'node:stream';

/** An output stream: a pipe, a file, or a terminal (then `isTTY`, `columns`, `hasColors`). */
export type OutStream = Writable & {
  isTTY?: boolean;
  columns?: number;
  hasColors?: (env?: Record<string, string | undefined>) => boolean;
};

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** The environment (COVETON_*, NO_COLOR, FORCE_COLOR, CI, TERM). */
  env: Record<string, string | undefined>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
