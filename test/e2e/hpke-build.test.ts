// What the e2e build changes in hpke-js as it bundles it (tsup.config.ts hpkeModules): the Deno
// shim of globalThis is globalThis, and class fields are assigned instead of defined. The known
// answers through that bundle are hpke-vectors.test.ts's; here, the rewrite itself and the check
// that stops the build when an assignment would call an accessor instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fieldsAssigned, hpkeModules } from '../../tsup.config.js';

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

  it('fails the build when a field assigned is also the name of an accessor (the assignment would call it)', async () => {
    const dir = join(process.cwd(), 'test-output', 'hpke-build', 'node_modules', '@hpke', 'core', 'esm', 'src');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `clash-${process.pid}.js`);
    writeFileSync(file, `export class A {\n    constructor() {\n        ${define('_kem', 'void 0')}\n    }\n}\nexport class B {\n    get _kem() {\n        return 1;\n    }\n}\n`);
    await expect(bundle(`export { A, B } from ${JSON.stringify(file)};`)).rejects.toThrow(/_kem assigned as a field and named by an accessor/);
  });
});
