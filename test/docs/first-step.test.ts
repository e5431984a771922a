// The getting-started guide opens with a first step of five lines, before the full quickstart;
// those lines, exactly as the guide shows them, run against the mock (its address swapped for
// the test's free port) and print what the guide says they print.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../src/mock/index.js';
import { root } from './support/site.js';

const guide = readFileSync(join(root, 'docs', 'guides', 'getting-started.md'), 'utf8');

describe('the first step of the getting-started guide', () => {
  const first = guide.indexOf('## First call, in five lines');
  const code = /```ts\n([\s\S]*?)```/.exec(guide.slice(first))?.[1] ?? '';

  it('comes before the full quickstart, in at most five lines', () => {
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(guide.indexOf('## The full quickstart'));
    expect(guide.indexOf(code)).toBeLessThan(guide.indexOf('## The full quickstart'));
    expect(code.trimEnd().split('\n')).toHaveLength(5);
  });

  it('runs against the mock and prints what the guide says', async () => {
    const printed = /It prints `([^`]+)`/.exec(guide.slice(first))?.[1];
    expect(printed).toBeDefined();
    const mock = await startMock();
    const dir = mkdtempSync(join(tmpdir(), 'coveton-first-step-'));
    try {
      expect(code).toContain("'http://127.0.0.1:4010'");
      // As a new project has it: a package.json without "type", the file named as the guide says
      // (a .ts file there is CommonJS to tsx, where top-level await fails).
      const name = /Save this as `([^`]+)` [\s\S]*?run it with `npx tsx ([^`]+)`/.exec(guide.slice(first));
      expect(name?.[1]).toBe(name?.[2]);
      writeFileSync(join(dir, 'package.json'), '{ "name": "first-call", "private": true }\n');
      const file = join(dir, name![1]!);
      writeFileSync(file, code.replace("'@coveton/sdk'", JSON.stringify(join(root, 'src', 'index.ts'))).replace("'http://127.0.0.1:4010'", JSON.stringify(mock.url)));
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 60_000 });
      expect(stdout).toBe(`${printed}\n`);
      expect(mock.violations).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await mock.close();
    }
  }, 90_000);
});
