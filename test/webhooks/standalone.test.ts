// `@coveton/sdk/webhooks` stands alone and runs anywhere: it imports nothing from the SDK but the
// error base class and generated types, and uses no Node-only API (Web Crypto and TextEncoder only).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeHeader } from './helpers.js';

const dir = fileURLToPath(new URL('../../src/webhooks/', import.meta.url));
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(dir + file, 'utf8') }));

describe('standalone entry point', () => {
  it('imports only its own files, ../errors/base.js, and types from the generated schema', () => {
    for (const { file, text } of sources) {
      for (const [, typeOnly, from] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const allowed = from!.startsWith('./') || from === '../errors/base.js' || (typeOnly && from === '@coveton/sdk/schema');
        expect(allowed, `${file} imports ${from}`).toBe(true);
      }
    }
    // And the one SDK module it borrows imports nothing itself.
    expect(readFileSync(fileURLToPath(new URL('../../src/errors/base.ts', import.meta.url)), 'utf8')).not.toMatch(/\bimport\b/);
  });

  it('uses no Node-only API (the bare-realm run below is the real proof; this names the culprit)', () => {
    for (const { file, text } of sources) {
      const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''); // comments may name Buffer, process...
      expect(code, file).not.toMatch(/\bBuffer\.|\bprocess\.|\brequire\(|'node:|\b__dirname\b|\bsetImmediate\(/);
    }
  });

  it('bundles for a neutral platform and verifies in a bare realm with only crypto and TextEncoder/TextDecoder', async () => {
    const { outputFiles } = await build({
      entryPoints: [dir + 'index.ts'],
      bundle: true,
      platform: 'neutral',
      format: 'iife',
      globalName: 'coveton',
      write: false,
      logLevel: 'silent',
    });
    const { TextEncoder, TextDecoder } = globalThis;
    const sandbox: Record<string, unknown> = { crypto: globalThis.crypto, TextEncoder, TextDecoder };
    runInNewContext(outputFiles[0]!.text, sandbox);
    const api = sandbox.coveton as typeof import('../../src/webhooks/index.js');
    expect(runInNewContext('typeof process + typeof Buffer + typeof require', sandbox)).toBe('undefinedundefinedundefined');

    const body = '{"id":"evt_1","type":"session.revoked","data":{"id":"ses_1"}}';
    const header = nodeHeader('whsec_edge', 1_780_306_200, body);
    const event = await api.constructEvent(body, header, 'whsec_edge', { now: () => 1_780_306_200_000 });
    expect(event.type).toBe('session.revoked');
    expect(await api.signPayload(body, 'whsec_edge', { timestamp: 1_780_306_200 })).toBe(header);
    const err = await api.verifySignature(body, header, 'whsec_wrong', { tolerance: 0 }).catch((e: unknown) => e);
    expect((err as { reason: string }).reason).toBe('no_matching_signature');
  });

  it('exports exactly the public names', async () => {
    const api = await import('../../src/webhooks/index.js');
    expect(Object.keys(api).sort()).toEqual(
      ['CovetonError', 'DEFAULT_TOLERANCE_SECONDS', 'SIGNATURE_HEADER', 'WebhookSignatureError', 'constructEvent', 'signPayload', 'verifySignature'].sort(),
    );
  });
});
