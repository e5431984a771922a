// The contract lints clean under recommended-strict plus our rules, and generated/ is exactly
// what `npm run generate` makes from spec/ (so nobody edits generated/ by hand).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const redocly = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

describe('the contract', () => {
  const out = mkdtempSync(join(tmpdir(), 'coveton-generate-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('lints with no error and no warning', () => {
    const report = execFileSync(process.execPath, [redocly, 'lint', 'spec/openapi.yaml', '--format=json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const json = JSON.parse(report.slice(report.indexOf('{')));
    expect(json.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('regenerates generated/ byte for byte', () => {
    // Without the lint step: the test above runs the same lint (some 3 s of CPU each time).
    execFileSync(process.execPath, [join(root, 'scripts', 'generate.mjs'), '--out', out, '--quiet', '--no-lint'], { cwd: root, stdio: 'pipe' });
    const files = readdirSync(join(root, 'generated')).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(out, file), 'utf8'), `generated/${file} differs from what spec/ produces: run npm run generate`).toBe(
        readFileSync(join(root, 'generated', file), 'utf8'),
      );
    }
  }, 120_000);
});
