// The built `coveton` as it is installed: dist/cli/bin.js (and its chunks) from the repo's own tsup settings, next to
// generated/openapi.{yaml,json} (package.json `files`), in a temporary package directory. It finds
// the bundled spec from dist/cli/, starts Prism when installed, and without Prism says how to get it.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKey, sharedBuild, closedPort, cliEnv, eventually, listening, ROOT, TEST_KEY, type Run } from './helpers.js';

let dir: string;
let withPrism: string;
let withoutPrism: string;
let withoutJsonSpec: string;
const { serve } = serverFixture();

/** A package directory: dist/cli/, generated/, and node_modules linked to the repo's, maybe without Prism or a spec file. */
function packageDir(name: string, withPrism: boolean, specFiles = ['openapi.yaml', 'openapi.json']): string {
  const pkg = join(dir, name);
  mkdirSync(join(pkg, 'node_modules'), { recursive: true });
  mkdirSync(join(pkg, 'generated'), { recursive: true });
  cpSync(join(dir, 'dist'), join(pkg, 'dist'), { recursive: true });
  for (const file of specFiles) cpSync(join(ROOT, 'generated', file), join(pkg, 'generated', file));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === '.bin' || (entry === '@stoplight' && !withPrism)) continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(pkg, 'node_modules', entry));
  }
  return pkg;
}

function runBuilt(pkg: string, args: string[]): Promise<Run & { child: ReturnType<typeof spawn> }> {
  const child = spawn(process.execPath, [join(pkg, 'dist', 'cli', 'bin.js'), ...args], { cwd: pkg, env: cliEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, child })));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coveton-cli-'));
  cpSync(join(dirname(await sharedBuild()), '..'), join(dir, 'dist'), { recursive: true });
  withPrism = packageDir('with-prism', true);
  withoutPrism = packageDir('without-prism', false);
  withoutJsonSpec = packageDir('without-json-spec', false, ['openapi.yaml']);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built bin (dist/cli/bin.js)', () => {
  it('is an ESM script with a shebang that runs --help', async () => {
    const pkg = withPrism;
    expect(readFileSync(join(pkg, 'dist', 'cli', 'bin.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = await runBuilt(pkg, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: coveton');
  });

  it('serves the bundled spec found from dist/cli/ (../../generated/openapi.yaml)', async () => {
    const pkg = withPrism;
    const port = await closedPort();
    const child = spawn(process.execPath, [join(pkg, 'dist', 'cli', 'bin.js'), 'mock', '--port', String(port), '--quiet'], { cwd: pkg, env: cliEnv() });
    try {
      expect(await eventually(() => listening(port), 20_000)).toBe(true);
      const answer = await fetch(`http://127.0.0.1:${port}/utils/authtest`, { headers: { Authorization: 'Bearer ak_test_x00000000000000000000000' } });
      expect(await answer.json()).toEqual({ msg: 'Auth successful' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await eventually(async () => !(await listening(port)), 8000)).toBe(true);
  });

  it('without Prism installed, mock and contract are usage errors that say how to install it', async () => {
    const pkg = withoutPrism;
    for (const args of [['mock'], ['contract', '--target', 'http://127.0.0.1:9', '--api-key', 'ak_test_x12340000000000000000000']]) {
      const run = await runBuilt(pkg, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Stoplight Prism is not installed');
      expect(run.stderr).toContain('npm install -D @stoplight/prism-cli@5.12.0');
    }
    // The rest of the CLI does not need Prism, and reads the spec from ../../generated/openapi.json.
    const scopes = await runBuilt(pkg, ['api-keys', 'create', '--name', 'x', '--type', 'user', '--environment', 'sandbox', '--permissions', 'nope']);
    expect(scopes.code).toBe(2);
    expect(scopes.stderr).toContain('not a scope: nope');
  });

  it('without generated/openapi.json, api-keys create fails before it sends: no key is made whose secret would be lost', async () => {
    // The check of a new key reads the spec; read after the POST (as it was), the key existed
    // and its one-time secret was never shown (a review's repro).
    const server = await serve((_req, res) => json(res, 201, { ...apiKey('key_a'), secret: 'ak_test_abcdefghijklmnopqrstuvwxyz' }));
    const run = await runBuilt(withoutJsonSpec, ['api-keys', 'create', '--name', 'ci', '--type', 'service', '--environment', 'sandbox', '--base-url', server.url, '--api-key', TEST_KEY]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^error: the bundled spec generated\/openapi\.json is missing from this installation .*reinstall @coveton\/sdk\n$/);
    expect(run.stdout).toBe('');
    expect(server.requests).toHaveLength(0);
  });
});
