// How scripts/codegen/resources.mjs declares each model (generated/models.ts): an interface where
// one can be (TypeScript prints it by name in hovers and declarations; an alias of an object type
// is printed expanded), extending the models an allOf names unless it redeclares their
// properties, and a type alias for what an interface cannot be. The packed package test
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
      Status: { type: 'string', enum: ['active', 'revoked'] },
      Either: { oneOf: [ref('Key'), { type: 'object', properties: { all: { const: true } } }] },
      MaybeKey: { type: ['object', 'null'], properties: { id: { type: 'string' } } },
      Error: { type: 'object', properties: { code: { type: 'string' } } },
    },
  },
};

describe('renderModels', () => {
  it('declares interfaces where it can, extending the models an allOf names, and aliases otherwise', () => {
    const declarations = (renderModels(spec) as string).split('\n').filter((line) => line.startsWith('export '));
    expect(declarations).toEqual([
      "export type Schema<K extends keyof components['schemas']> = components['schemas'][K];",
      "export interface Key extends Schema<'Key'> {}",
      "export interface KeyWithSecret extends Key, Schema<'KeyWithSecret'> {}",
      // `id` redeclared (narrowed): extending Key too would be two bases that disagree.
      "export interface Narrowed extends Schema<'Narrowed'> {}",
      // `secret` is a property of KeyWithSecret through its own allOf.
      "export interface Twice extends Schema<'Twice'> {}",
      "export type Status = Schema<'Status'>;",
      "export type Either = Schema<'Either'>;",
      "export type MaybeKey = Schema<'MaybeKey'>;",
    ]);
  });
});
