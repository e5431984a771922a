import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The CLI is a user of the package: it imports the SDK (its Node build) and the mock from the
 * package's own builds (dist/index.node.js, dist/mock.js) instead of carrying second copies of
 * them (one SDK, so one set of error classes; and a smaller tarball).
 */
const OWN_BUILDS: Record<string, string> = {
  'src/index.ts': '../index.node.js',
  'src/index.node.ts': '../index.node.js',
  'src/mock/index.ts': '../mock.js',
};
const ownBuilds: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'own-builds',
  setup(build) {
    build.onResolve({ filter: /\/index(\.node)?\.js$/ }, (args) => {
      const source = relative(process.cwd(), resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      const built = OWN_BUILDS[source.split('\\').join('/')];
      return built ? { path: built, external: true } : undefined;
    });
  },
};

// Seven entry points, each importable alone: the SDK (fetch; every runtime), its Node build
// (the `node` export condition: undici transport, proxies), the webhook helpers (no SDK
// runtime pulled in), the Redis stores for fleets (`@coveton/sdk/redis`: the user's own
// `redis` client), end-to-end encryption (`@coveton/sdk/e2e`: WebCrypto and hpke-js, the
// client passed in, no SDK code of its own), the stateful mock for tests (`@coveton/sdk/mock`,
// Node only) and the CLI (Node only).
/**
 * The e2e entry takes CovetonError from the package's own build (so an E2EError is an instance of
 * the one CovetonError users catch) instead of carrying a copy of the class: through the webhooks
 * entry, which re-exports it from the chunk the main entry shares, so that bundling e2e never
 * reaches the client's code (its import() of the file-transfer chunk would keep that chunk live).
 */
export const sdkErrors: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'sdk-errors',
  setup(build) {
    build.onResolve({ filter: /\/errors\/base\.js$/ }, () => ({ path: '@coveton/sdk/webhooks', external: true }));
  },
};

/**
 * In the CommonJS build, a chunk loaded on first use is `require`d, not `import()`ed: CommonJS
 * test runners run modules in `vm` scripts where `import()` throws unless ES modules are enabled
 * (Jest by default: "A dynamic import callback was invoked without --experimental-vm-modules"),
 * so every part the SDK loads on first use (the token refresh, the raw client, file transfers...)
 * failed there. The ESM build keeps `import()`: a bundler makes each a chunk of its own.
 */
export const requireChunks: NonNullable<Options['plugins']>[number] = {
  name: 'require-chunks',
  renderChunk(code) {
    if (this.format !== 'cjs') return undefined;
    return { code: code.replace(/\bimport\((["'])(\.\/[\w.-]+\.cjs)\1\)/g, 'Promise.resolve().then(() => require($1$2$1))') };
  },
};

/** Where a package's ES modules are: `<package>/esm/src/`. */
const esmSources = (pkg: string) => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'esm', 'src');

/**
 * hpke-js goes into the e2e build (pinned exactly, a devDependency), from its own modules and
 * only those the suite uses (suite.ts: the native cipher suite, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-128-GCM). The packages' front modules re-export everything, and what
 * @hpke/common adds for other suites (noble's HMAC and SHA-3, whose tables are built when the
 * module loads) is kept by bundlers that cannot prove it unused: 1.7 kB gzipped of the entry.
 * `@hpke/core` (imported by suite.ts) and `@hpke/common` (imported by core's modules) resolve to
 * lists of the library's modules; a name missing from them fails the build. Three things the
 * library's npm build adds are left out, each doing the same with fewer bytes: the Deno-to-npm
 * shim of `globalThis` (a Proxy merging an empty object of extra globals over it: globalThis
 * itself, 200 B gzipped), class fields written as `Object.defineProperty` (fieldsAssigned,
 * 216 B), and a copy of TypeScript's private-field helpers in each of three modules
 * (privateFieldsShared: one copy, 46 B). And hpke-js's fallback to Node's `crypto` module where
 * `globalThis.crypto` is missing (subtleOnly, 44 B), which the entry never reaches. The licence
 * travels as a comment in the chunk that holds the code, and in full in THIRD-PARTY-LICENSES.md.
 */
export const hpkeModules: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'hpke-modules',
  setup(build) {
    const core = esmSources('@hpke/core');
    const common = esmSources('@hpke/common');
    const from = (dir: string, file: string) => JSON.stringify(join(dir, file));
    const modules: Record<string, string> = {
      '@hpke/core': [
        `export { CipherSuiteNative as CipherSuite } from ${from(core, 'cipherSuiteNative.js')};`,
        `export { DhkemX25519HkdfSha256 } from ${from(core, 'kems/dhkemX25519.js')};`,
        `export { Aes128Gcm } from ${from(core, 'aeads/aesGcm.js')};`,
        `export { HkdfSha256Native as HkdfSha256 } from ${from(common, 'kdfs/hkdf.js')};`,
        '/*! hpke-js (@hpke/core, @hpke/common): MIT License, Copyright (c) 2023-2024 Ajitomi Daisuke */',
      ].join('\n'),
      '_dnt.shims': 'export const dntGlobalThis = globalThis;',
      // One copy of TypeScript's private-field helpers, which three modules each define (privateFieldsShared).
      'private-fields': `${PRIVATE_FIELD_HELPERS}\nexport { __classPrivateFieldGet, __classPrivateFieldSet };`,
      '@hpke/common': ['errors', 'algorithm', 'identifiers', 'consts', 'kems/dhkem', 'kdfs/hkdf', 'interfaces/aeadEncryptionContext', 'interfaces/dhkemPrimitives', 'interfaces/kemInterface', 'utils/misc']
        .map((file) => `export * from ${from(common, `${file}.js`)};`)
        .join('\n'),
    };
    build.onResolve({ filter: /^@hpke\/(core|common)$/ }, (args) => ({ path: args.path, namespace: 'hpke-modules' }));
    build.onResolve({ filter: /\/_dnt\.shims\.js$/ }, () => ({ path: '_dnt.shims', namespace: 'hpke-modules' }));
    build.onResolve({ filter: /^hpke-private-fields$/ }, () => ({ path: 'private-fields', namespace: 'hpke-modules' }));
    build.onLoad({ filter: /.*/, namespace: 'hpke-modules' }, (args) => ({ contents: modules[args.path], loader: 'js', resolveDir: core }));
    // Class fields as assignments (see fieldsAssigned); a field that an assignment would not
    // define as Object.defineProperty did fails the build (assignedSafely).
    const fields = new Set<string>();
    const found = { unsafe: new Set<string>(), bases: new Set<string>() };
    build.onLoad({ filter: /[\\/]@hpke[\\/](core|common)[\\/]esm[\\/].*\.js$/ }, async (args) => {
      const contents = privateFieldsShared(fieldsAssigned(subtleOnly(await readFile(args.path, 'utf8')), fields));
      notAssignable(contents, found);
      return { contents, loader: 'js' };
    });
    build.onEnd(() => {
      const clash = [...fields].filter((name) => !assignedSafely(name, found));
      if (clash.length) throw new Error(`hpke-modules: ${clash.join(', ')} assigned as a field, which an accessor or a read-only property up the prototype chain would take instead of an own property`);
    });
  },
};

/**
 * What in a module (after fieldsAssigned) an assignment could meet up a prototype chain instead
 * of defining an own property: accessors however their name is written (`get x()`, `get "x"()`,
 * `set ["x"](v)`), properties defined with a descriptor (a setter, or not writable), and the
 * built-in classes its classes extend (Uint8Array's `length` is a getter).
 */
function notAssignable(source: string, into: { unsafe: Set<string>; bases: Set<string> }): void {
  for (const m of source.matchAll(/\b(?:get|set)(?:\s+([\w$]+)|\s*\[?\s*(["'`])([\w$]+)\2\s*\]?)\s*\(/g)) into.unsafe.add(m[1] ?? m[3]!);
  for (const m of source.matchAll(/\b(?:defineProperty|__define[GS]etter__)\(\s*(?:[^,()]+,\s*)?(["'`])([\w$]+)\1/g)) into.unsafe.add(m[2]!);
  for (const m of source.matchAll(/\bclass\s+[\w$]+\s+extends\s+([\w$]+)\s*\{/g)) into.bases.add(m[1]!);
}

/**
 * Whether `this.name = value` defines the same own property as defineProperty would: no module
 * names `name` as an accessor or defines it with a descriptor, and wherever `name` is first
 * found up the chain of Object.prototype or of a built-in class extended, it is a writable value.
 */
function assignedSafely(name: string, found: { unsafe: Set<string>; bases: Set<string> }): boolean {
  if (found.unsafe.has(name)) return false;
  const builtIn = (base: string) => (globalThis as Record<string, unknown>)[base];
  const chains = [Object.prototype, ...[...found.bases].map(builtIn).flatMap((c) => (typeof c === 'function' ? [c.prototype as object] : []))];
  return chains.every((start) => {
    for (let at: object | null = start; at; at = Object.getPrototypeOf(at)) {
      const own = Object.getOwnPropertyDescriptor(at, name);
      if (own) return 'value' in own && own.writable === true;
    }
    return true;
  });
}

/**
 * hpke-js ships its class fields compiled to `Object.defineProperty(this, "name", { enumerable:
 * true, configurable: true, writable: true, value })`, 46 of them in what the e2e bundle keeps,
 * 216 B of it gzipped. Each becomes `this.name = value`: the same own, enumerable, writable,
 * configurable property, as long as nothing up the prototype chain has an accessor of that name
 * (which an assignment would call) or a read-only property (which it would throw on):
 * hpkeModules fails the build if a loaded module or a built-in base class has one
 * (assignedSafely). A field written otherwise is left as it is.
 */
export function fieldsAssigned(source: string, names = new Set<string>()): string {
  const field = /Object\.defineProperty\(this, "(\w+)", \{\s*enumerable: true,\s*configurable: true,\s*writable: true,\s*value: (\{[^{}]*\}|[^\n{}]*)\s*\}\);/g;
  return source.replace(field, (_, name: string, value: string) => {
    names.add(name);
    return `this.${name} = ${value.trim()};`;
  });
}

/**
 * The private-field helpers TypeScript writes into each module that uses `#private` fields
 * (`__classPrivateFieldGet`, `__classPrivateFieldSet`: in hpke-js's mutex and its sender and
 * recipient contexts), as one module imported by each: the same functions, the same text, once
 * in the bundle. A module whose helpers are written otherwise keeps its own copy.
 */
const PRIVATE_FIELD_HELPERS = `var __classPrivateFieldGet = (this && this.__classPrivateFieldGet) || function (receiver, state, kind, f) {
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
    return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
};
var __classPrivateFieldSet = (this && this.__classPrivateFieldSet) || function (receiver, state, value, kind, f) {
    if (kind === "m") throw new TypeError("Private method is not writable");
    if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a setter");
    if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot write private member to an object whose class did not declare it");
    return (kind === "a" ? f.call(receiver, value) : f ? f.value = value : state.set(receiver, value)), value;
};`;

export function privateFieldsShared(source: string): string {
  const at = source.indexOf(PRIVATE_FIELD_HELPERS);
  if (at === -1) return source;
  return `${source.slice(0, at)}import { __classPrivateFieldGet, __classPrivateFieldSet } from "hpke-private-fields";${source.slice(at + PRIVATE_FIELD_HELPERS.length)}`;
}

/**
 * hpke-js finds WebCrypto with `globalThis.crypto.subtle`, falling back, where `globalThis.crypto`
 * is missing (Node 18 and earlier), to `await import("crypto")`. The package supports Node 20 and
 * later, which have it, as do browsers, Deno, Bun and workers; and the e2e entry never reaches
 * hpke-js without it: every path reads `globalThis.crypto.subtle` itself first (src/e2e/bytes.ts
 * `subtle`: a new device's keys are made with it, and a listing's bundles are imported and
 * verified with it before anything is sealed to them or opened from their devices). So
 * `loadSubtleCrypto` is that read alone, and the bundle carries no `import("crypto")`, which
 * browser bundlers would try to resolve. A release of hpke-js that writes the function otherwise
 * is left as it is (test/e2e/hpke-build.test.ts checks the bundle).
 */
export function subtleOnly(source: string): string {
  return source.replace(/async function loadSubtleCrypto\(\) \{\n[\s\S]*?\n\}\n/, 'const loadSubtleCrypto = async () => globalThis.crypto.subtle;\n');
}

/** The file key store takes E2EError from the e2e entry, so `instanceof E2EError` holds across both. */
const e2eErrors: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'e2e-errors',
  setup(build) {
    build.onResolve({ filter: /^\.\/errors\.js$/ }, () => ({ path: '@coveton/sdk/e2e', external: true }));
  },
};

/**
 * The declaration builds skip TypeScript's full type check (noCheck): each of the four built a
 * program of its own and checked every file it emitted, a third of the build's CPU time, while
 * the type check is the project's (`npm run typecheck`, run by the suite over src/ and the rest):
 * a type error fails that, no longer the build. The emitted declarations are the same byte for byte.
 */
const declarations = { compilerOptions: { noCheck: true } };

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', webhooks: 'src/webhooks/index.ts', redis: 'src/redis/index.ts', schema: 'src/schema.ts' },
    format: ['esm', 'cjs'],
    dts: declarations,
    // The generated OpenAPI types are the `@coveton/sdk/schema` entry: the other entries' declarations
    // import them from there (the package itself) instead of carrying them, so that each API report
    // shows its own surface and the schema has a report of its own.
    external: ['@coveton/sdk/schema'],
    sourcemap: false, // the package ships no sources for maps to point at
    // Not `clean`: tsup's declaration build would delete every .d.ts in dist/ when it starts,
    // the mock's too when that one finished first. `npm run build` empties dist/ beforehand.
    clean: false,
    treeshake: true,
    // CommonJS split too (tsup builds ESM chunks, then turns them into CommonJS): index.cjs and
    // index.node.cjs share one chunk of the SDK instead of carrying a copy each.
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
    plugins: [requireChunks],
  },
  {
    // `@coveton/sdk/e2e`, every runtime: minified to keep the tarball near its budget, and without
    // kept names, which cost browser bundles 1.1 kB gzipped (E2EError names itself; stack traces
    // name minified functions, as they do once an app's bundler has minified it anyway).
    // hpke-js is bundled from the modules the suite uses (hpkeModules); the SDK is the
    // package's own main entry.
    entry: { e2e: 'src/e2e/index.ts' },
    format: ['esm', 'cjs'],
    dts: declarations,
    external: ['@coveton/sdk', '@coveton/sdk/webhooks', '@coveton/sdk/schema'],
    noExternal: ['@hpke/core', '@hpke/common'],
    sourcemap: false,
    clean: false,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
    minify: true,
    // Split: what registering, sending and reading a message need is the entry and the chunks it
    // imports; files, safety numbers and acceptIdentity are chunks loaded with import() on first use.
    splitting: true,
    esbuildPlugins: [hpkeModules, sdkErrors],
    plugins: [requireChunks],
  },
  {
    // `@coveton/sdk/e2e/node`, Node only: the file key store (node:fs), kept out of the e2e entry so
    // a browser bundle never meets node:fs. E2EError comes from `@coveton/sdk/e2e` (one class).
    entry: { 'e2e-node': 'src/e2e/node-file-key-store.ts' },
    format: ['esm', 'cjs'],
    dts: declarations,
    external: ['@coveton/sdk', '@coveton/sdk/e2e'],
    sourcemap: false,
    clean: false,
    treeshake: true,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
    minify: true,
    keepNames: true,
    esbuildPlugins: [e2eErrors],
  },
  {
    // Node only, never reachable from src/index.ts: it stays out of the browser bundle. ESM only
    // (a test helper; CommonJS tests `await import()` it), which keeps a second copy out of the tarball.
    entry: { mock: 'src/mock/index.ts' },
    format: ['esm'],
    dts: declarations,
    sourcemap: false,
    clean: false,
    shims: true,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
    // Node-only tools, minified to keep the tarball near its budget; names are kept, so a stack
    // trace from the mock still names its functions and classes.
    minify: true,
    keepNames: true,
  },
  {
    // The CLI in chunks, dist/cli/bin.js first: a command's code (and the SDK) loads when the
    // command runs, so `coveton --version` and `--help` start with the definitions only.
    entry: { bin: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    splitting: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    outDir: 'dist/cli',
    // Minified, without keepNames (the mock keeps them): the CLI shows no stack trace, only
    // messages, and the names cost about 1.9 kB of the tarball's budget.
    minify: true,
    esbuildPlugins: [ownBuilds],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
