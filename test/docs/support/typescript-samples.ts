// The TypeScript the docs show, written out as modules for the project's type check
// (test/support/typecheck-setup.ts): every operation's and event's TypeScript sample, as the
// reference generator makes it, and every `ts` block of the landing page. Each file is a module
// (`export {}`), so that the samples' top-level names do not meet.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: plain .mjs modules without types
import { loadContract } from '../../../scripts/docs/contract.mjs';
// @ts-expect-error: plain .mjs modules without types
import { samplesFor } from '../../../scripts/docs/samples/index.mjs';

/** Writes the samples into `dir` (emptied first); returns the files, one per sample. */
export function writeTypeScriptSamples(root: string, dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const contract = loadContract(root) as { spec: unknown; operations: { operationId: string }[] };
  const files: string[] = [];
  const write = (name: string, code: string) => {
    files.push(join(dir, `${name}.ts`));
    writeFileSync(files.at(-1)!, `${code}\nexport {};\n`);
  };
  for (const entry of contract.operations) {
    const samples = samplesFor(contract.spec, entry) as { lang: string; code: string }[];
    write(entry.operationId, samples.find((s) => s.lang === 'typescript')!.code);
  }
  const landing = [...readFileSync(join(root, 'docs', 'index.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  if (landing.length === 0) throw new Error('docs/index.md shows no TypeScript: the type check expects its ```ts blocks');
  landing.forEach((code, i) => write(`landing-${i}`, code));
  return files;
}
