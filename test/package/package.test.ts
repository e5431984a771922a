// The package as users get it: `npm pack`, checked by publint and @arethetypeswrong/cli, its file
// list, then the tarball installed into a fresh project and used from `import`, `require` and
// TypeScript consumers (`node16`, `bundler` and `node10` resolution), and its browser-bundle size held to
// the budget in size-budget.json. One pack and one install serve every test.
import { cpSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binOf, manifest, must, packAndInstall, root, run, type Packed } from './support/packed.js';
import { shownTypes } from './support/hovers.js';
import { statSync } from 'node:fs';
import { startMock } from '../../src/mock/index.js';
// @ts-expect-error: a plain .mjs module without types
import { measureSize, overBudget, readBudget } from '../../scripts/size.mjs';
// @ts-expect-error: a plain .mjs module without types
import { apiReports } from '../../scripts/api-report.mjs';

/** What users need, and nothing else: code and types, the contract, the readme, changelog and licences. */
const ALLOWED = [/^dist\/[^/]+\.(c?js|d\.c?ts)$/, /^dist\/cli\/[^/]+\.js$/, /^generated\/openapi\.(json|yaml)$/, /^package\.json$/, /^(README|CHANGELOG|THIRD-PARTY-LICENSES)\.md$/, /^LICEN[CS]E(\.md)?$/];
const REQUIRED = [
  'package.json',
  'CHANGELOG.md',
  'THIRD-PARTY-LICENSES.md',
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/index.node.js',
  'dist/index.node.cjs',
  'dist/index.node.d.ts',
  'dist/index.node.d.cts',
  'dist/webhooks.js',
  'dist/webhooks.cjs',
  'dist/webhooks.d.ts',
  'dist/webhooks.d.cts',
  'dist/redis.js',
  'dist/redis.cjs',
  'dist/redis.d.ts',
  'dist/redis.d.cts',
  'dist/schema.d.ts',
  'dist/schema.d.cts',
  'dist/e2e.js',
  'dist/e2e.cjs',
  'dist/e2e.d.ts',
  'dist/e2e.d.cts',
  'dist/e2e-node.js',
  'dist/e2e-node.cjs',
  'dist/e2e-node.d.ts',
  'dist/e2e-node.d.cts',
  'dist/cli/bin.js',
  'generated/openapi.json',
  'generated/openapi.yaml',
];

// A fetch that answers like the API, so the installed SDK runs a real call without a network.
const STUB_FETCH = `async (request) => {
  seen.push(request.method + ' ' + request.url + ' ' + request.headers.get('authorization'));
  return new Response(JSON.stringify({ id: 'key_1', name: 'CI' }), { status: 200, headers: { 'content-type': 'application/json' } });
}`;
const EVENT = JSON.stringify({ id: 'evt_1', type: 'api_key.created', createdAt: '2026-06-01T00:00:00Z', data: { id: 'key_1' } });

const ESM_CHECK = `
import { createCoveton, VERSION } from '@coveton/sdk';
import { constructEvent, signPayload } from '@coveton/sdk/webhooks';
import { redisTokenStore } from '@coveton/sdk/redis';
import spec from '@coveton/sdk/openapi.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// openapi.yaml is a file, not a module: resolved and read as docs/guides/package.md shows.
const yaml = readFileSync(fileURLToPath(import.meta.resolve('@coveton/sdk/openapi.yaml')), 'utf8');
const seen = [];
// The Redis entry loads without the redis package (an optional peer): it takes the user's client.
const stored = await redisTokenStore({ evalSha: async () => null, eval: async () => null }, { key: 'k' }).get();
const coveton = createCoveton({ apiKey: 'ak_test_123', baseUrl: 'https://api.example.test/v1', maxRetries: 0, fetch: ${STUB_FETCH} });
const key = await coveton.apiKeys.get('key_1');
const body = ${JSON.stringify(EVENT)};
const event = await constructEvent(body, await signPayload(body, 'whsec_test'), 'whsec_test');
console.log(JSON.stringify({ VERSION, key, seen, event: event.type, openapi: spec.openapi, paths: Object.keys(spec.paths).length, redis: stored === undefined, yaml: yaml.startsWith('openapi: ') }));
`;

const CJS_CHECK = `
const { createCoveton, VERSION } = require('@coveton/sdk');
const { signPayload, verifySignature } = require('@coveton/sdk/webhooks');
const spec = require('@coveton/sdk/openapi.json');
const pkg = require('@coveton/sdk/package.json');
const yaml = require('node:fs').readFileSync(require.resolve('@coveton/sdk/openapi.yaml'), 'utf8');
const seen = [];
(async () => {
  const coveton = createCoveton({ apiKey: 'ak_test_123', baseUrl: 'https://api.example.test/v1', maxRetries: 0, fetch: ${STUB_FETCH} });
  const key = await coveton.apiKeys.get('key_1');
  const body = ${JSON.stringify(EVENT)};
  const signedAt = await verifySignature(body, await signPayload(body, 'whsec_test'), 'whsec_test');
  console.log(JSON.stringify({ VERSION, pkg: pkg.version, key, seen, signedAt: typeof signedAt, openapi: spec.openapi, yaml: yaml.startsWith('openapi: ') }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

// The TypeScript consumer (strict, exactOptionalPropertyTypes): typed resource methods, a typed
// event, one line the types must refuse, and options left undefined.
const CONSUMER = `
import { createCoveton, CovetonError, type Coveton } from '@coveton/sdk';
import { constructEvent, type CovetonWebhookEvent } from '@coveton/sdk/webhooks';

const coveton: Coveton = createCoveton({ apiKey: 'ak_test_123', environment: 'sandbox' });

export async function demo(body: string, header: string): Promise<string[]> {
  const created = await coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
  const names: string[] = [created.name];
  for await (const key of coveton.apiKeys.list({ status: 'active' })) names.push(key.name);
  // @ts-expect-error: 'archived' is no key status; if the types were any, this line would not error
  void coveton.apiKeys.list({ status: 'archived' });
  const event: CovetonWebhookEvent = await constructEvent(body, header, 'whsec_test');
  if (event.type === 'api_key.created') names.push(event.data.id);
  return names;
}

export const isCovetonError = (error: unknown): boolean => error instanceof CovetonError;

// Under exactOptionalPropertyTypes, an optional left undefined means "the default", as the
// README's \`baseUrl: process.env.COVETON_BASE_URL\` does.
declare const text: string | undefined;
declare const count: number | undefined;
declare const signal: AbortSignal | undefined;
export const fromEnv: Coveton = createCoveton({
  baseUrl: text, apiKey: text, environment: undefined, timeout: count, maxRetries: count, deadline: count,
  backoff: { initialDelay: count, maxDelay: count, jitter: count }, hooks: { onRetry: undefined }, headers: undefined,
  rateLimit: { maxConcurrent: count, budget: undefined, store: undefined }, logger: undefined, logLevel: undefined,
  accessToken: text, refreshToken: text, tokenStore: undefined, onTokens: undefined, refreshMargin: count, storeTimeout: count,
});
export const perCall = async (file: Blob) => [
  await fromEnv.apiKeys.get('key_1', { signal, timeout: count, deadline: count, maxRetries: count, idempotencyKey: text, headers: undefined, hooks: undefined }),
  await fromEnv.files.upload(file, { filename: 'a.bin', contentType: 'application/octet-stream', size: count, signal }),
  await fromEnv.files.download('file_1', { as: undefined, signal }),
  await fromEnv.session.logout({ signal }),
  await constructEvent('{}', 't=1,v1=00', 'whsec_test', { tolerance: count, now: undefined }),
];
`;

// Every other subpath, for the consumer whose TypeScript resolves without `exports` (node10:
// `"module": "commonjs"` with no moduleResolution, as a NestJS project has), where only
// `typesVersions` leads to the declarations.
const SUBPATHS = `
import type { redisTokenStore } from '@coveton/sdk/redis';
import type { paths } from '@coveton/sdk/schema';
import type { E2EError } from '@coveton/sdk/e2e';
import type { fileKeyStore } from '@coveton/sdk/e2e/node';
import type { startMock } from '@coveton/sdk/mock';
export type Reached = [typeof redisTokenStore, paths, E2EError, typeof fileKeyStore, typeof startMock];
`;

function tsconfig(module: string, moduleResolution: string | undefined, files: string[]) {
  const compilerOptions = { strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['es2022', 'dom'], types: [], module, moduleResolution };
  return `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`;
}

describe('the packed package', () => {
  let packed: Packed;

  beforeAll(async () => {
    packed = await packAndInstall();
  }, 240_000);

  afterAll(() => packed?.cleanup());

  it('holds only what users need', () => {
    const stray = packed.files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
    expect(stray, 'files that should not ship').toEqual([]);
    expect(REQUIRED.filter((file) => !packed.files.includes(file)), 'missing files').toEqual([]);
  });

  it('ships no source maps (their sources are not shipped) and stays within its tarball budget', () => {
    expect(packed.files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const size = statSync(packed.tarball).size;
    console.log(`tarball: ${(size / 1024).toFixed(1)} kB packed, ${packed.files.length} files`);
    // The target was 300 kB: 289.2 kB then (the spec's rules and the mock that enforces
    // them added 25 kB; minifying the mock and the CLI took 8 kB back), 304.0 kB before
    // the e2e entry, which adds 17 kB (minified ESM and CJS, 7.5 kB gzipped each, and
    // its declarations): 321.3 kB. The budget sits above that; what the tarball is made of is in
    // docs/guides/package.md.
    // The docs' example seed, the device-key tools in the mock and CLI bundles and the e2e entry
    // brought it to 335.7 kB (343,723 B). The file transfer code as a chunk of its own (loaded
    // on first use, ESM and CJS) and the e2e work since: 347.8 kB (356,096 B). The e2e entry
    // split so that files and safety numbers load on first use (its chunks, ESM and CJS, each a
    // file; split code also packs a little worse): 351.6 kB (360,041 B). The core's parts most
    // applications never run as chunks of their own (the token refresh, the raw client, the
    // redirect rules, the page walk, sign-in's install and logout: 14 more files, ESM and CJS,
    // and the code they share split into more chunks) add 5,435 B packed, for 1,015 B less
    // gzipped in every browser bundle: 365,476 B. hpke-js's modules that the e2e suite uses,
    // bundled into it (ESM and CJS) instead of installed as two packages (about 147 kB packed),
    // and their licence: 367.3 kB. Then fixes that each needed code in both builds: one abort
    // listener per caller signal, the upload source cancelled when storage answers early, Blob
    // uploads read 64 KiB at a time in Node (a transport of its own for a fetch given in the
    // options), downloads handed on chunk by chunk, the `proxy` check in the Node transport,
    // the `fetch` option's TSDoc on npm undici, and a stuck proxy dispatcher made again: 371.2 to
    // 372.0 kB across fresh clones. A round of fixes against hostile servers and peers (the
    // mock's rules for gone keys, sessions, storage grants, parameters and envelopes; the e2e
    // entry's bounded listings and exact identity acceptance; stacked content codings; error
    // codes): 376.9 kB (385,980 B). Then a second round (the Redis token store's claim and
    // write sent once and before the lock's release, its budget wait bounded; the e2e entry's
    // signed expiry, removed-device and canonical-encoding rules) and the core's storage URL
    // and token reading moved into chunks of their own (two more files in each build, for
    // 402 B less gzipped up front in every browser bundle): 381.9 kB (391,036 B). A third
    // round against hostile servers and users (the mock's in-flight body budget, bounded
    // violation log and remembered gone records; bounded encoded downloads; IndexedDB tabs; the
    // CLI's contract relay, JSON errors and redaction): 386.3 kB (395,571 B). A fourth round
    // (the CLI's check of a key against the spec's required fields, one Retry-After parser for
    // the SDK and the CLI, the Redis stores refusing a key the other store holds, and the fixes
    // of the webhooks, raw-client and hooks review, each in both builds and their
    // declarations): 391.8 kB before those last fixes. The budget sits about 1.5% above that,
    // as the others do.
    expect(size).toBeLessThan(398 * 1024);
  });

  it('installs without running a script of ours: none in the manifest, none reported by npm', async () => {
    const installed = JSON.parse(readFileSync(join(packed.installed, 'package.json'), 'utf8'));
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => installed.scripts?.[name] !== undefined);
    expect(lifecycle).toEqual([]);
    expect(packed.installLog).not.toMatch(/install-scripts|@coveton\/sdk@[^ ]* \((pre|post)?(install|prepare)/);
    // npm 11 lists packages whose install scripts it would run; older npm has no such command.
    const review = await run('npm', ['install-scripts', 'ls'], { cwd: packed.consumer });
    if (review.code === 0) expect(review.stdout + review.stderr).not.toContain('@coveton/sdk');
  });

  it('declares what it supports: engines, sideEffects, ESM and CJS exports with types first', () => {
    expect(manifest.engines.node).toMatch(/^>=20/);
    expect(manifest.sideEffects).toBe(false);
    for (const subpath of ['.', './webhooks', './redis', './e2e']) {
      const entry = manifest.exports[subpath];
      // '.' has a Node build (the undici transport); Bun and Deno, which also answer to `node`,
      // are sent to the fetch build first, like every other runtime.
      expect(Object.keys(entry)).toEqual(subpath === '.' ? ['bun', 'deno', 'node', 'import', 'require'] : ['import', 'require']);
      for (const build of subpath === '.' ? [entry, entry.node, entry.bun, entry.deno] : [entry]) {
        expect(Object.keys(build.import)).toEqual(['types', 'default']);
        expect(Object.keys(build.require)).toEqual(['types', 'default']);
      }
    }
    // node-redis only for those who ask for the Redis stores.
    expect(manifest.peerDependenciesMeta.redis).toEqual({ optional: true });
    expect(manifest.dependencies.redis).toBeUndefined();
    expect(manifest.exports['./openapi.json']).toBe('./generated/openapi.json');
    expect(manifest.exports['./openapi.yaml']).toBe('./generated/openapi.yaml');
  });

  it('passes publint with no error, warning or suggestion', async () => {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const bytes = readFileSync(packed.tarball);
    const result = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'suggestion', strict: true });
    expect(result.messages.map((m) => `${m.type}: ${formatMessage(m, result.pkg, { color: false })}`)).toEqual([]);
  });

  it('has types right for node16 (ESM and CJS), bundlers and node10 (@arethetypeswrong/cli)', async () => {
    // openapi.yaml is a data file for readers of the contract (require.resolve, fs), not a module:
    // no TypeScript resolution applies to it.
    const result = await run(process.execPath, [binOf('@arethetypeswrong/cli'), packed.tarball, '--profile', 'node16', '--exclude-entrypoints', './openapi.yaml', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'json'], { cwd: root });
    const report = JSON.parse(result.stdout);
    // The JSON report lists problems of every resolution, node10 included (TypeScript's
    // pre-`exports` resolution, where typesVersions leads to the subpaths' declarations); the
    // node16 profile leaves node10 out of the exit code only.
    type Problem = { kind: string; entrypoint?: string; resolutionKind?: string };
    // `@coveton/sdk/mock` is ESM only on purpose (docs/guides/package.md): from CommonJS it is
    // reached with `await import()`, which is exactly what attw's CJSResolvesToESM reports. The
    // rule is ignored for the exit code only: the JSON still lists it, and any other entry fails here.
    const esmOnly = (p: Problem) => p.kind === 'CJSResolvesToESM' && p.entrypoint === './mock';
    const problems = (Object.values(report.problems ?? {}) as Problem[][]).flat().filter((p) => !esmOnly(p));
    expect(problems, result.stdout.slice(0, 4000)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    const kinds = Object.fromEntries(Object.entries(report.analysis.entrypoints['.'].resolutions).map(([k, v]) => [k, (v as { resolution?: { fileName: string } }).resolution?.fileName]));
    expect(kinds['node16-cjs']).toMatch(/index\.node\.d\.cts$/);
    expect(kinds['node16-esm']).toMatch(/index\.node\.d\.ts$/);
    expect(kinds.bundler).toMatch(/index\.d\.ts$/);
    expect(kinds.node10).toMatch(/index\.d\.ts$/);
  });

  it('works from import', async () => {
    const out = JSON.parse(await must(process.execPath, ['--input-type=module', '-e', ESM_CHECK], { cwd: packed.consumer }));
    expect(out).toEqual({
      VERSION: manifest.version,
      key: { id: 'key_1', name: 'CI' },
      seen: ['GET https://api.example.test/v1/api-keys/key_1 Bearer ak_test_123'],
      event: 'api_key.created',
      openapi: expect.stringMatching(/^3\.1\./),
      paths: expect.any(Number),
      redis: true,
      yaml: true,
    });
    expect(out.paths).toBeGreaterThan(40);
  });

  it('works from require', async () => {
    const out = JSON.parse(await must(process.execPath, ['--input-type=commonjs', '-e', CJS_CHECK], { cwd: packed.consumer }));
    expect(out).toEqual({
      VERSION: manifest.version,
      pkg: manifest.version,
      key: { id: 'key_1', name: 'CI' },
      seen: ['GET https://api.example.test/v1/api-keys/key_1 Bearer ak_test_123'],
      signedAt: 'number',
      openapi: expect.stringMatching(/^3\.1\./),
      yaml: true,
    });
  });

  it('loads the parts it loads on first use from require where import() throws (CommonJS test runners such as Jest)', async () => {
    const probe = join(root, 'test', 'package', 'support', 'vm-require.cjs');
    // The package's `require` (the Node build), and the CommonJS build other runtimes get.
    for (const entry of ['@coveton/sdk', join(packed.consumer, 'node_modules', '@coveton', 'sdk', 'dist', 'index.cjs')]) {
      const out = JSON.parse(await must(process.execPath, [probe, entry], { cwd: packed.consumer }));
      expect([entry, out]).toEqual([entry, { refreshed: 'key_1', raw: 'key_1', walked: ['key_1'], redirected: 'key_1' }]);
    }
  });

  it('runs the e2e entry from import and from require, its chunks loaded on first use included', async () => {
    // Ada and Bob on the stateful mock: a text message, a file up and down (the files chunk) and
    // both sides' safety numbers (the identity chunk), through the installed package.
    const program = (load: string) => `(async () => {
${load}
const baseUrl = process.env.COVETON_BASE_URL;
async function person(email, password, name) {
  const coveton = createCoveton({ baseUrl });
  await coveton.session.login({ email, password });
  const device = await loadOrCreateDevice({ store: memoryKeyStore(), name, platform: 'server' });
  await device.register(coveton);
  return { id: device.userId, secure: e2eClient(coveton, device) };
}
const ada = await person('ada@example.com', 'a-strong-passphrase', 'Ada');
const bob = await person('bob@example.com', 'bob-strong-passphrase', 'Bob');
const file = await ada.secure.files.upload(new Uint8Array(70_000).fill(7), { filename: 'seven.bin' });
const sent = await ada.secure.messages.send({ chatId: 'chat_8f2a', plaintext: 'hello', contentType: 'text/plain', files: [file] });
const opened = await bob.secure.messages.decrypt(sent);
const bytes = new Uint8Array(await new Response(await bob.secure.files.download(opened.files[0])).arrayBuffer());
const [mine, theirs] = [await ada.secure.safetyNumber(bob.id), await bob.secure.safetyNumber(ada.id)];
let refused = '';
try { await bob.secure.messages.decrypt({ ...sent, contentType: 'text/html' }); } catch (error) { refused = (error instanceof E2EError) + ' ' + error.code; }
console.log(JSON.stringify({ text: opened.text, file: [bytes.length, bytes.every((b) => b === 7)], digits: mine.digits.length, same: mine.matches(theirs.digits), refused }));
})().catch((error) => { console.error(error); process.exit(1); });`;
    const mock = await startMock({ rateLimit: false });
    try {
      const env = { COVETON_BASE_URL: mock.url };
      const esm = "const { createCoveton } = await import('@coveton/sdk'); const { e2eClient, loadOrCreateDevice, memoryKeyStore, E2EError } = await import('@coveton/sdk/e2e');";
      const cjs = "const { createCoveton } = require('@coveton/sdk'); const { e2eClient, loadOrCreateDevice, memoryKeyStore, E2EError } = require('@coveton/sdk/e2e');";
      for (const [type, load] of [['module', esm], ['commonjs', cjs]] as const) {
        const out = JSON.parse(await must(process.execPath, [`--input-type=${type}`, '-e', program(load)], { cwd: packed.consumer, env }));
        expect([type, out]).toEqual([type, { text: 'hello', file: [70_000, true], digits: 71, same: true, refused: 'true decrypt_failed' }]);
      }
      // hpke-js is inside the build: the installed package pulls in no @hpke package.
      expect(existsSync(join(packed.consumer, 'node_modules', '@hpke'))).toBe(false);
    } finally {
      await mock.close();
    }
  }, 60_000);

  it('runs the README quickstart as the README says: saved as quickstart.mts, through tsx, against the stateful mock', async () => {
    writeFileSync(join(packed.consumer, 'quickstart.mts'), readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8'));
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    // `coveton mock`'s engine: the encrypted exchange needs its state (Bob's new device in the chat).
    const mock = await startMock();
    try {
      const result = await run(process.execPath, [tsx, 'quickstart.mts'], { cwd: packed.consumer, env: { COVETON_BASE_URL: mock.url } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('✓ signed in');
      expect(result.stdout).toContain('✓ API keys listed');
      expect(result.stdout).toContain(`✓ message decrypted        on Bob's tablet: "Hello Bob, the quarterly numbers are in."`);
    } finally {
      await mock.close();
    }
  }, 60_000);

  it('installs the coveton command', async () => {
    const out = await must(join(packed.consumer, 'node_modules', '.bin', 'coveton'), ['--help'], { cwd: packed.consumer });
    expect(out).toMatch(/coveton/i);
  });

  it('type-checks a strict TypeScript consumer under node16 (ESM and CJS), bundler and node10 resolution', async () => {
    const src = join(packed.consumer, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'esm.ts'), CONSUMER);
    writeFileSync(join(src, 'cjs.cts'), CONSUMER);
    writeFileSync(join(src, 'bundler.ts'), `${CONSUMER}\nimport spec from '@coveton/sdk/openapi.json' with { type: 'json' };\nexport const title: string = spec.info.title;\n`);
    writeFileSync(join(src, 'node10.ts'), `${CONSUMER}${SUBPATHS}`);
    // No moduleResolution: what TypeScript picks for CommonJS output is node10.
    writeFileSync(join(packed.consumer, 'tsconfig.node10.json'), tsconfig('commonjs', undefined, ['src/node10.ts']));
    writeFileSync(join(packed.consumer, 'tsconfig.node16.json'), tsconfig('node16', 'node16', ['src/esm.ts', 'src/cjs.cts']));
    const bundler = JSON.parse(tsconfig('esnext', 'bundler', ['src/bundler.ts']));
    bundler.compilerOptions.resolveJsonModule = true;
    writeFileSync(join(packed.consumer, 'tsconfig.bundler.json'), JSON.stringify(bundler, null, 2));
    const tsc = binOf('typescript', 'tsc');
    const [node16, bundled, node10] = await Promise.all([
      run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], { cwd: packed.consumer }),
      run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: packed.consumer }),
      run(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], { cwd: packed.consumer }),
    ]);
    expect(node16.stdout + node16.stderr).toBe('');
    expect(node16.code).toBe(0);
    expect(bundled.stdout + bundled.stderr).toBe('');
    expect(bundled.code).toBe(0);
    expect(node10.stdout + node10.stderr).toBe('');
    expect(node10.code).toBe(0);
  }, 60_000);

  it('names the models in hovers and declaration output: Promise<ApiKey>, as getting-started.md promises', () => {
    // A get, a create, a list with its item, and a list of another resource, as a consumer writes them.
    writeFileSync(
      join(packed.consumer, 'hovers.mts'),
      `import { createCoveton } from '@coveton/sdk';
const coveton = createCoveton({ apiKey: 'ak_test_123' });
export const fetched = coveton.apiKeys.get('key_1');
export const created = coveton.apiKeys.create({ name: 'CI', type: 'service', environment: 'sandbox' });
export const keys = coveton.apiKeys.list();
export const messages = coveton.chats.listMessages('chat_1');
export async function walk(): Promise<void> {
  for await (const key of coveton.apiKeys.list()) void key;
}
`,
    );
    const shown = shownTypes(packed.consumer, 'hovers.mts');
    expect(shown.errors).toEqual([]);
    expect(shown.hovers).toEqual({
      coveton: 'Coveton',
      fetched: 'Promise<ApiKey>',
      created: 'Promise<ApiKeyWithSecret>',
      keys: 'PagePromise<ApiKey>',
      messages: 'PagePromise<Message>',
      key: 'ApiKey',
    });
    // The emitted declarations refer to the model by name, not a copy of its members.
    expect(shown.declaration).toContain('export declare const fetched: Promise<import("@coveton/sdk").ApiKey>;');
    expect(shown.declaration).toContain('export declare const created: Promise<import("@coveton/sdk").ApiKeyWithSecret>;');
  }, 60_000);

  it('stays within its size budget in a browser bundle', async () => {
    const results = await measureSize({ packageDir: packed.installed });
    const budget = readBudget();
    const figures = Object.fromEntries(results.map((r: { name: string; gzip: number }) => [r.name, r.gzip]));
    console.log(`gzipped browser bundle: ${JSON.stringify(figures)} (budgets ${JSON.stringify(budget)})`);
    expect(overBudget(results, budget)).toEqual([]);
    // The webhook helpers stand alone: none of the client, and not openapi-fetch.
    // The browser bundle never pulls in the Node transport.
    const client = results.find((r: { name: string }) => r.name === 'createCoveton');
    expect([...client.inputs, ...client.lazyInputs].filter((f: string) => /undici|index\.node/.test(f))).toEqual([]);
    // The file transfer code loads on first use: a chunk of its own, not in what loads up front.
    expect(client.lazyGzip).toBeGreaterThan(1_000);
    // The e2e entry takes CovetonError without reaching the client (nor its on-demand chunk).
    // What sending and reading a message need loads up front; files, safety numbers and
    // acceptIdentity are its own chunks, loaded on first use.
    const e2e = results.find((r: { name: string }) => r.name === 'e2e');
    expect(e2e.lazyInputs.map((f: string) => f.replace(/-[A-Z0-9]+\.js$/, '')).sort()).toEqual(['dist/files', 'dist/identity']);
    expect(e2e.lazyGzip).toBeGreaterThan(1_000);
    expect(e2e.inputs.filter((f: string) => /dist\/(index|files|identity)[.-]/.test(f))).toEqual([]);
    const webhooks = results.find((r: { name: string }) => r.name === 'webhooks');
    expect(webhooks.inputs.filter((f: string) => /openapi-fetch|dist\/index\.js/.test(f))).toEqual([]);
  });

  it('has the public API of its committed reports (api/*.api.md), entry by entry', () => {
    // A change to the surface must come with its reviewed report: npm run api:report.
    // Outside node_modules: api-extractor takes anything under it for another package.
    const copy = join(packed.dir, 'api-check');
    cpSync(join(packed.installed, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(packed.installed, 'package.json'), join(copy, 'package.json'));
    const changed = apiReports({ distDir: join(copy, 'dist'), packageJson: join(copy, 'package.json'), check: true });
    expect(changed, 'the public API changed: review it, then run npm run api:report').toEqual([]);
  }, 60_000);
});
