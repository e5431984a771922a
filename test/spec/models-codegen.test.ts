// How scripts/codegen/resources.mjs declares each model (generated/models.ts): an interface where
// one can be (TypeScript prints it by name in hovers and declarations; an alias of an object type
// is printed expanded) over the schema's type alone, and a type alias for what an interface cannot
// be. The packed package test
// (test/package) checks what an editor then shows.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import { renderModels } from '../../scripts/codegen/resources.mjs';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const spec = {
  components: {
    schemas: {
      Key: { type: 'object', properties: { id: { type: 'string' } } },
      KeyWithSecret: { allOf: [ref('Key'), { type: 'object', properties: { secret: { type: 'string' } } }] },
      Narrowed: { allOf: [ref('Key'), { type: 'object', properties: { id: { const: 'key_1' } } }] },
      Twice: { allOf: [ref('KeyWithSecret'), { type: 'object', properties: { secret: { const: 's' } } }] },
      Draft: { type: 'object', properties: { id: { type: 'number' } } },
      Both: { allOf: [ref('Key'), ref('Draft')] },
      Status: { type: 'string', enum: ['active', 'revoked'] },
      Either: { oneOf: [ref('Key'), { type: 'object', properties: { all: { const: true } } }] },
      MaybeKey: { type: ['object', 'null'], properties: { id: { type: 'string' } } },
      Error: { type: 'object', properties: { code: { type: 'string' } } },
    },
  },
};

describe('renderModels', () => {
  it('declares interfaces where it can, over the schema alone, and aliases otherwise', () => {
    const declarations = (renderModels(spec) as string).split('\n').filter((line) => line.startsWith('export '));
    expect(declarations).toEqual([
      "export type Schema<K extends keyof components['schemas']> = components['schemas'][K];",
      "export interface Key extends Schema<'Key'> {}",
      // Not `extends Key, ...`: an interface inheriting from an interface does not fit
      // Record<string, unknown> (review s34 finding 4), and two bases that disagree do not
      // compile (TS2320, finding 8: Both).
      "export interface KeyWithSecret extends Schema<'KeyWithSecret'> {}",
      "export interface Narrowed extends Schema<'Narrowed'> {}",
      "export interface Twice extends Schema<'Twice'> {}",
      "export interface Draft extends Schema<'Draft'> {}",
      "export interface Both extends Schema<'Both'> {}",
      "export type Status = Schema<'Status'>;",
      "export type Either = Schema<'Either'>;",
      "export type MaybeKey = Schema<'MaybeKey'>;",
    ]);
  });
});

// Review s34 finding 8: what the generated models compile to, with openapi-typescript's types
// under them. An inline allOf member that only adds `required` comes out of openapi-typescript
// as `& Record<string, never>`, whose index signature no interface with properties can extend
// (TS2411); two `$ref` members that disagree on a property could not be two bases (TS2320).
describe('renderModels output compiles', () => {
  it('falls back to a type alias where the schema type has an index signature', async () => {
    const members = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          Key: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, description: { type: 'string' } } },
          KeyRequiredDesc: { allOf: [ref('Key'), { type: 'object', required: ['description'] }] },
          Extra: { allOf: [ref('Key'), { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: { type: 'number' } }] },
          Draft: { type: 'object', properties: { id: { type: 'number' } } },
          Both: { allOf: [ref('Key'), ref('Draft')] },
          KeyWithSecret: { allOf: [ref('Key'), { type: 'object', properties: { secret: { type: 'string' } } }] },
        },
      },
    };
    const models = renderModels(members) as string;
    expect(models.split('\n').filter((line) => line.startsWith('export ') && !line.includes('Schema<K'))).toEqual([
      "export interface Key extends Schema<'Key'> {}",
      "export type KeyRequiredDesc = Schema<'KeyRequiredDesc'>;",
      "export type Extra = Schema<'Extra'>;",
      "export interface Draft extends Schema<'Draft'> {}",
      "export interface Both extends Schema<'Both'> {}",
      "export interface KeyWithSecret extends Schema<'KeyWithSecret'> {}",
    ]);
    expect(await compileErrors(members, models)).toEqual([]);
  }, 60_000);
});

/** tsc --strict over openapi-typescript's types of `spec` and the models rendered from it. */
async function compileErrors(spec: object, models: string): Promise<string[]> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ts = await import('typescript');
  const dir = mkdtempSync(join(tmpdir(), 'models-'));
  writeFileSync(join(dir, 'schema.d.ts'), astToString(await openapiTS(spec as Parameters<typeof openapiTS>[0])));
  writeFileSync(join(dir, 'models.ts'), models.replace("'@coveton/sdk/schema'", "'./schema.js'"));
  const program = ts.createProgram([join(dir, 'models.ts')], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: false });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? basename(d.file.fileName) : ''}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
