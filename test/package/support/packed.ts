// Packs the package the way `npm publish` would, without touching the repo's own dist/: the
// sources are copied into a temporary stage (node_modules linked back), built there as
// `prepack` builds, packed with `npm pack`, and the tarball installed into a fresh consumer project
// from the npm cache. Used by package.test.ts.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
export const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What the stage needs to build the package: sources, the contract, build config, docs for users. */
const STAGE_FILES = ['package.json', 'tsup.config.ts', 'tsconfig.json', 'scripts/share-declarations.mjs', 'src', 'generated', 'README.md', 'CHANGELOG.md', 'LICENSE', 'THIRD-PARTY-LICENSES.md'];

/** The environment for nested npm runs: without the outer `npm test`'s own package and prefix. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(local_)?prefix$|^VITEST|^NODE_OPTIONS$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: cleanEnv(options.env), timeout: options.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) || (error && !stderr ? String(error.message) : '') });
      },
    );
  });
}

/** Like run, but throws with the output when the command fails. */
export async function must(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.code}\n${result.stderr}\n${result.stdout}`.trim());
  }
  return result.stdout;
}

/** A package's bin script, run with this Node. */
export function binOf(pkg: string, name?: string): string {
  const manifestPath = join(root, 'node_modules', pkg, 'package.json');
  const bin = JSON.parse(readFileSync(manifestPath, 'utf8')).bin;
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[name ?? Object.keys(bin)[0]!]);
}

export interface Packed {
  dir: string;
  tarball: string;
  /** The paths inside the tarball, as `npm pack --json` lists them. */
  files: string[];
  consumer: string;
  /** What `npm install` of the tarball printed (stdout and stderr). */
  installLog: string;
  /** The installed package inside the consumer project. */
  installed: string;
  cleanup(): void;
}

export async function packAndInstall(): Promise<Packed> {
  const dir = mkdtempSync(join(tmpdir(), 'coveton-pack-'));
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  for (const entry of STAGE_FILES) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');

  // `prepack` is `npm run build` (tsup, then the shared-declarations step): run it apart from
  // `npm pack`, whose --json output it would pollute.
  await must('npm', ['run', 'build'], { cwd: stage, timeout: 120_000 });
  const packed = JSON.parse(await must('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: stage }));
  const tarball = join(dir, packed[0].filename);
  const files: string[] = packed[0].files.map((f: { path: string }) => f.path);

  const consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  // Dependencies come from the npm cache (`npm ci` filled it); the registry only if one is missing.
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball], { cwd: consumer, timeout: 180_000 });
  if (install.code !== 0) throw new Error(`npm install ${tarball} exited ${install.code}\n${install.stderr}\n${install.stdout}`.trim());
  return {
    dir,
    tarball,
    files,
    consumer,
    installLog: install.stdout + install.stderr,
    installed: join(consumer, 'node_modules', '@coveton', 'sdk'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
