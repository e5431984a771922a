// The TSDoc that editors show names what the SDK user can call. The spec's prose is copied into
// the generated doc comments (method docs, models, schema.d.ts), and it used to name other
// operations by operationId: `messages.send` said "see `presignFileUpload`", a name nothing in
// the SDK has (the method is `files.presignUpload`; new-user review finding 11). The spec now
// names another operation by its method and path (`POST /files/presign`), which reads the same
// in every SDK and on the reference pages. Each method's own `(operationId ...)` line stays: it
// ties the method to the reference page.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import { collectOperations } from '../../scripts/codegen/resources.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const spec = JSON.parse(readFileSync(`${root}generated/openapi.json`, 'utf8'));
const operations: { operationId: string; name: string; resource: string }[] = collectOperations(spec);

/** Every doc comment of a generated file, without the `(operationId `x`)` line of each method. */
function docComments(file: string): string[] {
  const text = readFileSync(`${root}generated/${file}`, 'utf8');
  return [...text.matchAll(/\/\*\*[\s\S]*?\*\//g)].map((m) => m[0].replace(/\(operationId `\w+`\)/g, ''));
}

describe('generated doc comments', () => {
  it('finds the operations and their comments it checks', () => {
    // The check below cannot pass by reading nothing.
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((op) => op.operationId !== op.name).length).toBeGreaterThan(50);
    expect(docComments('resources.ts').length).toBeGreaterThan(operations.length);
  });

  for (const file of ['resources.ts', 'models.ts', 'schema.d.ts']) {
    it(`${file} names no operationId that is not also the SDK method's name`, () => {
      const found: string[] = [];
      for (const comment of docComments(file)) {
        for (const op of operations) {
          if (op.operationId === op.name) continue;
          if (new RegExp(`\\b${op.operationId}\\b`).test(comment)) found.push(`${op.operationId} (the SDK's ${op.resource}.${op.name})`);
        }
      }
      expect(found).toEqual([]);
    });
  }
});
