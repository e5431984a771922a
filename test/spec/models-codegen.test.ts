// How scripts/codegen/resources.mjs declares each model (generated/models.ts): an interface where
// one can be (TypeScript prints it by name in hovers and declarations; an alias of an object type
// is printed expanded) over the schema's type alone, and a type alias for what an interface cannot
// be. The packed package test
// (test/package) checks what an editor then shows.
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

