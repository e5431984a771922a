// The docs' code samples are generated, so they are checked like code: every TypeScript sample
// must compile, strict, against the SDK's own types (the repo's tsconfig maps `@coveton/sdk` to
// src/), and every curl sample must call the operation's method and path on the production host.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { spec } from '../support/spec.js';
// @ts-expect-error: a plain .mjs module without types
import { withCodeSamples } from '../../scripts/docs/samples.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
type Sample = { lang: string; label: string; source: string };
type Op = { operationId: string; 'x-codeSamples'?: Sample[] };

const docsSpec = withCodeSamples(spec);
const operations: { where: string; method: string; path: string; op: Op }[] = [];
for (const [path, item] of Object.entries(docsSpec.paths as Record<string, Record<string, Op>>)) {
  for (const [method, op] of Object.entries(item)) if (op?.operationId) operations.push({ where: 'paths', method, path, op });
}
for (const [event, item] of Object.entries(docsSpec.webhooks as Record<string, Record<string, Op>>)) {
  for (const [method, op] of Object.entries(item)) if (op?.operationId) operations.push({ where: 'webhooks', method, path: event, op });
}

describe('docs code samples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coveton-samples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the contract alone and gives every operation and webhook a TypeScript and a curl sample', () => {
    expect(spec.paths['/api-keys'].post['x-codeSamples']).toBeUndefined();
    expect(operations.length).toBeGreaterThan(60);
    for (const { op } of operations) {
      expect(op['x-codeSamples']?.map((s) => s.lang), op.operationId).toEqual(['TypeScript', 'Shell']);
    }
  });

  it('calls the operation in every curl sample', () => {
    for (const { where, method, path, op } of operations.filter((o) => o.where === 'paths')) {
      const curl = op['x-codeSamples']![1]!.source;
      const url = `https://api.coveton.com/v1${path.replace(/\{[^}]+\}/g, '[^/?\\s\']+')}`;
      expect(curl, `${where} ${op.operationId}`).toMatch(new RegExp(`^curl .*${url.replace(/[.]/g, '\\.')}(\\?|'|\\s|$)`));
      if (method !== 'get') expect(curl).toContain(`-X ${method.toUpperCase()}`);
    }
  });

  it('compiles every TypeScript sample against the SDK, strict', () => {
    const files = operations.map(({ op }) => {
      const file = join(dir, `${op.operationId}.ts`);
      writeFileSync(file, `${op['x-codeSamples']![0]!.source}\n`);
      return file;
    });
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true, noUnusedLocals: false });
    const problems = files.flatMap((file) => {
      const source = program.getSourceFile(file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${file.slice(dir.length + 1)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
