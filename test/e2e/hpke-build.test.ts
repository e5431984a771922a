// What the e2e build changes in hpke-js as it bundles it (tsup.config.ts hpkeModules): the Deno
// shim of globalThis is globalThis, class fields are assigned instead of defined, the
// private-field helpers three modules each define are one module, and WebCrypto is
// globalThis.crypto.subtle with no fallback to Node's crypto module. The known
// answers through that bundle are hpke-vectors.test.ts's; here, the rewrite itself and the check
// that stops the build when an assignment would not define the field as defineProperty did.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fieldsAssigned, hpkeModules, subtleOnly } from '../../tsup.config.js';

const define = (name: string, value: string, enumerable = 'true') =>
  `Object.defineProperty(this, "${name}", {\n            enumerable: ${enumerable},\n            configurable: true,\n            writable: true,\n            value: ${value}\n        });`;

const bundle = (contents: string) =>
  build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'silent', plugins: [hpkeModules] });

describe('hpke-js as the e2e build bundles it', () => {
  it('assigns a field written as defineProperty (one-line values and object literals), and leaves any other descriptor alone', () => {
    const names = new Set<string>();
    const source = [define('id', 'KdfId.HkdfSha256'), define('algHash', '{\n                name: "HMAC",\n                hash: "SHA-256",\n            }'), define('hidden', '1', 'false')].join('\n');
    const out = fieldsAssigned(source, names);
    expect(out).toContain('this.id = KdfId.HkdfSha256;');
    expect(out).toMatch(/this\.algHash = \{\s*name: "HMAC",\s*hash: "SHA-256",\s*\};/);
    expect(out).toContain(define('hidden', '1', 'false'));
    expect([...names]).toEqual(['id', 'algHash']);
  });

  it("keeps no defineProperty field and no Proxy over globalThis in the suite's bundle", async () => {
    const { outputFiles } = await bundle("export { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';");
    expect(outputFiles[0]!.text).not.toMatch(/defineProperty\(this|new Proxy/);
  });

  it("finds WebCrypto at globalThis.crypto.subtle only: no import of Node's crypto module in the suite's bundle", async () => {
    const library = ['async function loadSubtleCrypto() {', '    if (dntShim.dntGlobalThis !== undefined && globalThis.crypto !== undefined) {', '        return globalThis.crypto.subtle;', '    }', '    try {', '        const { webcrypto } = await import("crypto"); // node:crypto', '        return webcrypto.subtle;', '    }', '    catch (e) {', '        throw new NotSupportedError(e);', '    }', '}', 'export class NativeAlgorithm {}', ''].join('\n');
    expect(subtleOnly(library)).toBe('const loadSubtleCrypto = async () => globalThis.crypto.subtle;\nexport class NativeAlgorithm {}\n');
    const { outputFiles } = await bundle("export { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';");
    expect(outputFiles[0]!.text).not.toMatch(/import\(["']crypto["']\)|webcrypto/);
    expect(outputFiles[0]!.text).toContain('loadSubtleCrypto = async () => globalThis.crypto.subtle;');
  });

  it("carries one copy of TypeScript's private-field helpers, which three of hpke-js's modules each define", async () => {
    const { outputFiles } = await bundle("export { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';");
    const text = outputFiles[0]!.text;
    expect(text.match(/Cannot read private member/g)).toHaveLength(1);
    expect(text.match(/Cannot write private member/g)).toHaveLength(1);
  });

  // Each module: a field assigned in A where an assignment would not define an own property as
  // Object.defineProperty did (it would call a setter, or throw on a getter or read-only property).
  const clashes: Record<string, [string, string]> = {
    'a getter': ['_kem', 'export class B {\n    get _kem() {\n        return 1;\n    }\n}'],
    'a getter named in quotes': ['_kem', 'export class B {\n    get "_kem"() {\n        return 1;\n    }\n}'],
    'a computed setter': ['_kem', 'export class B {\n    set ["_kem"](v) {}\n}'],
    'a setter defined on the prototype': ['_kem', 'export class B {\n}\nObject.defineProperty(B.prototype, "_kem", { set(v) {} });'],
    'a read-only property on the prototype': ['_kem', 'export class B {\n}\nObject.defineProperty(B.prototype, "_kem", { value: 0 });'],
    "a built-in base class's getter": ['length', 'export const B = Uint8Array;'],
    "Object.prototype's __proto__": ['__proto__', 'export class B {\n}'],
  };
  it.each(Object.entries(clashes))('fails the build when a field assigned meets %s up the prototype chain', async (what, [name, base]) => {
    const dir = join(process.cwd(), 'test-output', 'hpke-build', 'node_modules', '@hpke', 'core', 'esm', 'src');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `clash-${what.replace(/\W+/g, '-')}-${process.pid}.js`);
    const extendsB = base.startsWith('export const B = ') ? base.slice('export const B = '.length, -1) : 'B';
    const a = `export class A extends ${extendsB} {\n    constructor() {\n        super();\n        ${define(name, 'void 0')}\n    }\n}\n`;
    writeFileSync(file, `${extendsB === 'B' ? base : ''}\n${a}`);
    await expect(bundle(`export { A } from ${JSON.stringify(file)};`)).rejects.toThrow(new RegExp(`hpke-modules: ${name} assigned as a field`));
  });
});
