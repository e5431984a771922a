// The `coveton` executable (package.json `bin`): hands the process to the program and leaves
// with its exit code. Two things only a process has are handled here:
// - Ctrl-C leaves quietly with 130, after putting the terminal back (a spinner hides the cursor).
//   A command that serves until stopped (`mock`, `webhooks listen`) listens itself, through
//   interrupt.ts serveUntilSignal, and still leaves with 130.
// - A reader that goes away (`coveton ... | head -1`) is not an error: exit 0, nothing printed;
//   stdout failing otherwise (a full disk) is exit 5 with one message.
import { EXIT } from '../tools/exit-codes.js';
import { runInterruptCleanups } from './interrupt.js';
import { processIo } from './io.js';
import { run } from './program.js';

const onSigint = () => {
  if (process.listenerCount('SIGINT') > 1) return;
  runInterruptCleanups();
  process.exit(EXIT.INTERRUPTED);
};
process.on('SIGINT', onSigint);

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.OK);
  // Any other write failure (a full disk: ENOSPC, /dev/full) loses the result: one message, in
  // the --json shape when asked for, and exit 5, never an uncaught exception's stack and exit 1
  // (which would say the API answered with an error).
  const message = `could not write the result to stdout (${error.code ?? 'write error'}): it is lost or incomplete`;
  const json = process.argv.includes('--json');
  process.stderr.write(json ? `${JSON.stringify({ error: { type: 'internal_error', message, exitCode: EXIT.INTERNAL } })}\n` : `coveton: ${message}\n`);
  process.exit(EXIT.INTERNAL);
});
process.stderr.on('error', () => {}); // nowhere left to say anything

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`coveton: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.INTERNAL;
  },
);
