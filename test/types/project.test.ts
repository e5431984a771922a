// The whole project type-checks: `tsc --noEmit -p tsconfig.json` over src/, generated/, test/,
// scripts/ and examples/, which takes in the type-level tests of test/types/*.test-d.ts (a failed
// expectTypeOf, or an @ts-expect-error over a line that compiles, is a compile error there).
// Vitest's typecheck mode ran this same command, but in a group of its own after every other
// file, one core busy and the other idle; as an ordinary test file it runs beside the others.
// --incremental keeps the next run on an unchanged tree short (the build info is kept in the
// ignored test-output/); a fresh clone checks everything.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('type-checks: every source, test (type-level tests included), script and example, strict', async () => {
  const buildInfo = join(root, 'test-output', 'typecheck', 'tsconfig.tsbuildinfo');
  mkdirSync(join(root, 'test-output', 'typecheck'), { recursive: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--noEmit', '--pretty', 'false', '--incremental', '--tsBuildInfoFile', buildInfo, '-p', join(root, 'tsconfig.json')];
  const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  // One line per error, `file(line,col): error TSnnnn: ...`: the list is the failure message.
  expect(output.split('\n').filter((line) => line.trim() !== '')).toEqual([]);
  expect(code).toBe(0);
}, 600_000);
