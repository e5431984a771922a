// The release habit: changesets record changes, `npm run release` is the one command that bumps
// the version and writes the changelog, and scripts/sync-version.mjs keeps src/version.ts and
// package-lock.json in step. The flow runs for real in a scratch git repository.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { binOf, manifest, must, root, run } from './support/packed.js';

describe('versions and releases', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'coveton-release-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has the same version in package.json, src/version.ts and package-lock.json', async () => {
    expect(VERSION).toBe(manifest.version);
    await must(process.execPath, [join(root, 'scripts', 'sync-version.mjs'), '--check'], { cwd: root });
  });

  it('has a changelog entry for the current version', () => {
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    expect(changelog.startsWith(`# ${manifest.name}\n`)).toBe(true);
    expect(changelog).toContain(`\n## ${manifest.version}\n`);
  });

  it('bumps the version and writes the changelog with one command', async () => {
    for (const file of ['package.json', 'package-lock.json', 'CHANGELOG.md', '.changeset', 'src/version.ts', 'scripts/sync-version.mjs']) {
      cpSync(join(root, file), join(scratch, file), { recursive: true });
    }
    for (const file of readdirSync(join(scratch, '.changeset'))) {
      if (file.endsWith('.md') && file !== 'README.md') rmSync(join(scratch, '.changeset', file));
    }
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const git = (...args: string[]) => must('git', ['-c', 'user.name=release test', '-c', 'user.email=release@example.com', ...args], { cwd: scratch });
    await git('init', '-q', '-b', 'main');
    writeFileSync(join(scratch, '.gitignore'), 'node_modules\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');

    // What `npx changeset` writes after its questions.
    mkdirSync(join(scratch, '.changeset'), { recursive: true });
    writeFileSync(join(scratch, '.changeset', 'brave-keys-sing.md'), `---\n'${manifest.name}': minor\n---\n\nA test change: list API keys by label.\n`);
    const changeset = binOf('@changesets/cli', 'changeset');
    const status = await run(process.execPath, [changeset, 'status', '--output=status.json'], { cwd: scratch });
    expect(status.code, status.stderr + status.stdout).toBe(0);
    const planned = JSON.parse(readFileSync(join(scratch, 'status.json'), 'utf8'));
    const [major, minor] = manifest.version.split('.').map(Number);
    const next = `${major}.${minor + 1}.0`;
    expect(planned.releases).toEqual([expect.objectContaining({ name: manifest.name, type: 'minor', oldVersion: manifest.version, newVersion: next })]);
    rmSync(join(scratch, 'status.json'));

    await must('npm', ['run', 'release', '--silent'], { cwd: scratch, timeout: 120_000 });
    const bumped = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8'));
    expect(bumped.version).toBe(next);
    expect(readFileSync(join(scratch, 'src', 'version.ts'), 'utf8')).toContain(`export const VERSION = '${next}';`);
    const lock = JSON.parse(readFileSync(join(scratch, 'package-lock.json'), 'utf8'));
    expect([lock.version, lock.packages[''].version]).toEqual([next, next]);
    const changelog = readFileSync(join(scratch, 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf(`## ${next}`)).toBeGreaterThan(0);
    expect(changelog.indexOf(`## ${next}`)).toBeLessThan(changelog.indexOf(`## ${manifest.version}`));
    expect(changelog).toContain('A test change: list API keys by label.');
    expect(existsSync(join(scratch, '.changeset', 'brave-keys-sing.md')), 'the applied changeset is consumed').toBe(false);
  }, 120_000);
});
