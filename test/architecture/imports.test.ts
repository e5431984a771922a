// The import rules of src/ (src/README.md and each folder's README) are enforced, not only
// described: dependency-cruiser checks every import of src/ and generated/ against
// .dependency-cruiser.cjs. A second run on a tiny tree with known violations shows that the
// rules fire (a check that reports nothing on a broken tree would pass here unnoticed).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruise(cwd: string, paths: string[]): Promise<Violation[]> {
  const args = [cli, ...paths, '--config', join(cwd, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  const { stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch = mkdtempSync(join(tmpdir(), 'coveton-imports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('import rules', () => {
  it('src/ and generated/ break none of them', async () => {
    const violations = await cruise(root, ['src', 'generated']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('fire on a tree that breaks them', async () => {
    const files: Record<string, string> = {
      'src/cli/program.ts': 'export const x = 1;\n',
      'src/mock/index.ts': "import { x } from '../cli/program.js';\nexport const y = x;\n",
      'src/util/env.ts': "import { z } from '../pipeline/index.js';\nexport const e = z;\n",
      'src/pipeline/index.ts': "import { readFileSync } from 'node:fs';\nexport const z = readFileSync;\n",
      'src/index.ts': "import { y } from './mock/index.js';\nexport { y };\n",
      'src/session/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/session/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    cpSync(join(root, '.dependency-cruiser.cjs'), join(scratch, '.dependency-cruiser.cjs'));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }));
    const names = new Set((await cruise(scratch, ['src'])).map((v) => v.rule.name));
    expect([...names].sort()).toEqual(['browser-entries-stay-portable', 'mock', 'no-cycles', 'no-node-builtins-in-core', 'util'].sort());
  });
});
