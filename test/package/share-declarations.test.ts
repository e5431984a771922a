// scripts/share-declarations.mjs on a small dist/ laid out as tsup lays it out: what it shares,
// how it rewrites the ESM declarations, and what it must leave alone. The packed package test
// checks the real build with @arethetypeswrong/cli and TypeScript consumers.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import { shareDeclarations } from '../../scripts/share-declarations.mjs';

let dist: string;
afterEach(() => rmSync(dist, { recursive: true, force: true }));

function layout(files: Record<string, string>): void {
  dist = mkdtempSync(join(tmpdir(), 'coveton-share-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dist, name), text);
}
const read = (name: string) => readFileSync(join(dist, name), 'utf8');

describe('shareDeclarations', () => {
  it('keeps identical chunks as .d.cts only and turns identical entries into re-exports', () => {
    layout({
      'index.js': '',
      'index.d.ts': "import { A } from './chunk-X1.js';\nexport { A };\n",
      'index.d.cts': "import { A } from './chunk-X1.cjs';\nexport { A };\n",
      'chunk-X1.d.ts': 'declare class A {}\nexport { A };\n',
      'chunk-X1.d.cts': 'declare class A {}\nexport { A };\n',
    });
    expect(shareDeclarations(dist)).toEqual(['chunk-X1', 'index']);
    expect(readdirSync(dist).sort()).toEqual(['chunk-X1.d.cts', 'index.d.cts', 'index.d.ts', 'index.js']);
    expect(read('index.d.ts')).toBe("export * from './index.cjs';\n");
    expect(read('index.d.cts')).toBe("import { A } from './chunk-X1.cjs';\nexport { A };\n");
  });

  it('pairs copies whose hashes differ (a hash may hold a dash), once the chunks they import are shared', () => {
    layout({
      'index.js': '',
      'index.d.ts': "import { B } from './store-pJhetS-d.js';\nexport { B };\n",
      'index.d.cts': "import { B } from './store-BoEXOh-g.cjs';\nexport { B };\n",
      'store-pJhetS-d.d.ts': "import { A } from './session-B7laCBCF.js';\ndeclare class B extends A {}\nexport { B };\n",
      'store-BoEXOh-g.d.cts': "import { A } from './session-yHXDahrc.cjs';\ndeclare class B extends A {}\nexport { B };\n",
      'session-B7laCBCF.d.ts': 'declare class A {}\nexport { A };\n',
      'session-yHXDahrc.d.cts': 'declare class A {}\nexport { A };\n',
    });
    expect(shareDeclarations(dist).sort()).toEqual(['index', 'session-yHXDahrc', 'store-BoEXOh-g']);
    expect(readdirSync(dist).sort()).toEqual(['index.d.cts', 'index.d.ts', 'index.js', 'session-yHXDahrc.d.cts', 'store-BoEXOh-g.d.cts']);
    expect(read('index.d.ts')).toBe("export * from './index.cjs';\n");
  });

  it('leaves a chunk whose copies differ, and an entry with a default export, as they are', () => {
    layout({
      'index.js': '',
      'index.d.ts': "import { A } from './chunk-X1.js';\nexport { A as default };\n",
      'index.d.cts': "import { A } from './chunk-X1.cjs';\nexport { A as default };\n",
      'chunk-X1.d.ts': 'declare class A {}\nexport { A };\n',
      'chunk-X1.d.cts': 'declare class A { x: 1 }\nexport { A };\n',
    });
    expect(shareDeclarations(dist)).toEqual([]);
    expect(read('index.d.ts')).toBe("import { A } from './chunk-X1.js';\nexport { A as default };\n");
    expect(existsSync(join(dist, 'chunk-X1.d.ts'))).toBe(true);
  });
});
