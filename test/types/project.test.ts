// The whole project type-checks, the type-level tests of test/types/*.test-d.ts with it (a failed
// expectTypeOf, or an @ts-expect-error over a line that compiles, is a compile error there), and
// so does the TypeScript the docs show: every reference sample and the landing page's code, strict,
// against the SDK's own types (an error names test-output/typecheck/samples/<operationId>.ts).
// tsc started with the run, at the lowest CPU priority (test/support/typecheck-setup.ts); this
// file, run last, waits for its verdict. Vitest's typecheck mode ran the same command in a group
// of its own after every other file: one core busy, the other idle.
import { existsSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { expect, inject, it } from 'vitest';
import type { TypecheckVerdict } from '../support/typecheck-setup.js';

it('type-checks: every source, test (type-level tests included), script, example and docs sample, strict', async () => {
  const file = inject('typecheckVerdict');
  // Nothing else of the run is left: tsc, if still at work, gets the run's priority back (where
  // the system lets a process raise it; elsewhere it finishes at the lowest).
  try {
    if (!existsSync(file)) setPriority(inject('typecheckPid'), getPriority());
  } catch {
    // Not allowed, or tsc just finished.
  }
  while (!existsSync(file)) await new Promise((done) => setTimeout(done, 200));
  const verdict = JSON.parse(readFileSync(file, 'utf8')) as TypecheckVerdict;
  // One line per error, `file(line,col): error TSnnnn: ...`: the list is the failure message.
  expect(verdict.output.split('\n').filter((line) => line.trim() !== '')).toEqual([]);
  expect(verdict.code).toBe(0);
}, 600_000);
