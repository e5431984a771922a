// `npm start` is the main job: the quickstart against the bundled mock, end to end.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('npm start', () => {
  it('runs the SDK quickstart against the bundled mock and prints every step', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    for (const step of ['signed in', 'current user', 'API key created', 'API keys listed', 'message sent', 'file presigned', 'checkout started']) {
      expect(out).toMatch(new RegExp(`✓ ${step}`));
    }
    expect(out).not.toContain('✗');
    expect(out).toMatch(/Coveton mock API \(stateful, validating\) on http:\/\/127\.0\.0\.1:\d+/);
  }, 90_000);
});
