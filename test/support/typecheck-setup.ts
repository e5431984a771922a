// The project typecheck (`tsc --noEmit` over what tsconfig.json includes: src/, generated/, test/
// with the type-level tests of test/types/*.test-d.ts, scripts/, examples/), and with them the
// TypeScript the docs show (every reference sample and the landing page's code, written out by
// test/docs/support/typescript-samples.ts), started when the run starts, at the lowest CPU
// priority. The samples were a program of their own in test/docs/samples.test.ts, which checked
// the SDK's types a second time for them: 11.4 s of CPU there, 6.1 s more here.
// It is some 25 s of one core with no timing in it, so it takes only
// the cycles the other files leave: while Vitest and Prism start, and beside the serial fleet
// group, whose processes keep the CPU whenever they want it (the kernel gives a niceness-19
// process about 1.5 % of a core that anything at the default priority wants). Its verdict is
// read by test/types/project.test.ts, which Vitest runs last (vitest.config.ts: `typecheck`).
// --incremental keeps a rerun on an unchanged tree short (build info in the ignored test-output/).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { writeTypeScriptSamples } from '../docs/support/typescript-samples.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the verdict lands: JSON `{ code, output }`, written once tsc has exited. */
    typecheckVerdict: string;
    /** tsc's process id: the verdict's reader gives it the run's priority back while it waits. */
    typecheckPid: number;
  }
}

/** What the verdict file holds. */
export interface TypecheckVerdict {
  code: number;
  output: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'test-output', 'typecheck');

/** Written whole or not at all: the test polls for the file. */
function write(verdict: string, value: TypecheckVerdict): void {
  writeFileSync(`${verdict}.part`, JSON.stringify(value));
  renameSync(`${verdict}.part`, verdict);
}

/**
 * The project's tsconfig.json with the docs' samples added: the same options (extended), the
 * same folders (read from it, and given relative to this file), and the samples' folder.
 */
function projectWithSamples(): string {
  writeTypeScriptSamples(root, join(dir, 'samples'));
  const { include } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
  const config = join(dir, 'tsconfig.json');
  writeFileSync(config, `${JSON.stringify({ extends: '../../tsconfig.json', include: [...include.map((path) => `../../${path}`), 'samples'] }, null, 2)}\n`);
  return config;
}

function start(verdict: string): ChildProcess {
  rmSync(verdict, { force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--noEmit', '--pretty', 'false', '--incremental', '--tsBuildInfoFile', join(dir, 'tsconfig.tsbuildinfo'), '-p', projectWithSamples()];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    setPriority(child.pid!, constants.priority.PRIORITY_LOW);
  } catch {
    // Not allowed here (some containers): it then runs at the priority of the run.
  }
  let output = '';
  child.stdout!.on('data', (chunk) => void (output += chunk));
  child.stderr!.on('data', (chunk) => void (output += chunk));
  child.on('error', (error) => write(verdict, { code: -1, output: `tsc did not start: ${error.message}` }));
  child.on('close', (code, signal) => {
    if (signal === 'SIGTERM') return; // stopped by the teardown or a rerun
    write(verdict, { code: code ?? -1, output: signal ? `${output}\ntsc ended by ${signal}` : output });
  });
  return child;
}

export default function setup(project: TestProject) {
  mkdirSync(dir, { recursive: true });
  const verdict = join(dir, `verdict-${process.pid}.json`);
  let child = start(verdict);
  project.provide('typecheckVerdict', verdict);
  project.provide('typecheckPid', child.pid ?? 0);
  // Watch mode: every rerun checks the tree as it is then.
  project.onTestsRerun(() => {
    child.kill('SIGTERM');
    child = start(verdict);
    project.provide('typecheckPid', child.pid ?? 0);
  });
  return () => {
    child.kill('SIGTERM');
    rmSync(verdict, { force: true });
  };
}
