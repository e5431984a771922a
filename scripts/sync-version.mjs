#!/usr/bin/env node
// Keeps the copies of the package's version in step with package.json, after `changeset version`
// has bumped it (`npm run release` runs both): src/version.ts (the VERSION sent in the
// User-Agent) and package-lock.json's own entry. `--check` only reports a mismatch (exit 1).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const VERSION_LINE = /export const VERSION = '([^']*)';/;

/** Brings src/version.ts and package-lock.json to package.json's version; returns the files changed. */
export function syncVersion({ root = resolve(dirname(fileURLToPath(import.meta.url)), '..'), check = false } = {}) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const stale = [];
  const versionFile = join(root, 'src', 'version.ts');
  const source = readFileSync(versionFile, 'utf8');
  if (!VERSION_LINE.test(source)) throw new Error(`${versionFile} has no "export const VERSION = '...';" line`);
  if (source.match(VERSION_LINE)[1] !== version) {
    stale.push('src/version.ts');
    if (!check) writeFileSync(versionFile, source.replace(VERSION_LINE, `export const VERSION = '${version}';`));
  }
  const lockFile = join(root, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    if (lock.version !== version || (lock.packages?.[''] && lock.packages[''].version !== version)) {
      stale.push('package-lock.json');
      lock.version = version;
      if (lock.packages?.['']) lock.packages[''].version = version;
      if (!check) writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
    }
  }
  return { version, stale };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const { version, stale } = syncVersion({ check });
  if (check && stale.length > 0) {
    console.error(`version ${version} of package.json is not in: ${stale.join(', ')} (run node scripts/sync-version.mjs)`);
    process.exit(1);
  }
  console.log(stale.length > 0 ? `version ${version} written to ${stale.join(', ')}` : `version ${version} everywhere`);
}
