// A yes/no question on the terminal (stderr), for confirmations. Callers check that a person is
// there. "y" or "yes" is yes; anything else, an empty line included, is no (Cancelled, exit 6);
// Ctrl-D closes the input (Cancelled too); Ctrl-C, which readline catches in raw mode, is an
// interruption (exit 130), as it is everywhere else.
import { createInterface } from 'node:readline';
import { Cancelled, Interrupted } from '../tools/failures.js';
import type { Io } from './io.js';

export function confirm(io: Io, question: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: Boolean(io.stdin.isTTY) });
    let settled = false;
    const settle = (outcome: Error | undefined) => {
      if (settled) return;
      settled = true;
      rl.close();
      if (outcome) reject(outcome);
      else resolve();
    };
    rl.on('SIGINT', () => {
      io.stderr.write('\n');
      settle(new Interrupted());
    });
    rl.on('close', () => {
      if (!settled) io.stderr.write('\n');
      settle(new Cancelled());
    });
    rl.question(question, (answer) => settle(/^y(es)?$/i.test(answer.trim()) ? undefined : new Cancelled()));
  });
}
