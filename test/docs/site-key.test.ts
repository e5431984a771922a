// The key of the docs site the docs tests share (support/site.ts): a build is reused while none of
// its inputs changed, so every file the repository keeps under the site's sources must be one
// (a hand-written file skipped would serve a stale site), and nothing the build writes may be.
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { inputFiles, root } from './support/site.js';

it('every tracked file of docs/, scripts/docs/ and scripts/codegen/ is an input of the key; what the build writes is not', () => {
  const tracked = execFileSync('git', ['ls-files', 'docs', 'scripts/docs', 'scripts/codegen'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const inputs = inputFiles();
  expect(tracked.length).toBeGreaterThan(20);
  expect(tracked.filter((file) => !inputs.includes(file))).toEqual([]);
  expect(inputs.filter((file) => /^docs\/(reference\/|public\/openapi\.json$|\.vitepress\/(dist|cache|\.temp)\/)/.test(file))).toEqual([]);
});
