// How scripts/codegen/resources.mjs reads a page list's `limit` into the row's `P<default>:<min>-<max>`
// (src/resources/operations.ts decodes it, src/resources/bind.ts sends the default on every page
// without a `limit`): generation refuses what the row cannot carry or what would make every such
// call a 400 (review s34 finding 6), and applies exclusive bounds.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import { collectOperations, encodeRow } from '../../scripts/codegen/resources.mjs';
import { decodeOperation } from '../../src/resources/operations.js';

const withLimit = (schema: object) => ({
  openapi: '3.1.0',
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        tags: ['things'],
        parameters: [
          { name: 'limit', in: 'query', schema },
          { name: 'before', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } },
      },
    },
  },
  components: {},
});
const row = (schema: object): string => encodeRow(collectOperations(withLimit(schema))[0]);

describe('the limit codegen', () => {
  it('writes the default and the range, and the row decodes to them', () => {
    expect(row({ type: 'integer', minimum: 1, maximum: 100, default: 20 })).toBe('GET /things q P20:1-100 >a');
    expect(decodeOperation(row({ type: 'integer', minimum: 1, maximum: 100, default: 20 })).pageSize).toEqual([20, 1, 100]);
    // No default in the spec: the SDK's 50, inside the range.
    expect(row({ type: 'integer', minimum: 1, maximum: 100 })).toBe('GET /things q P50:1-100 >a');
  });

  it('applies exclusive bounds, in the 3.1 (number) and 3.0 (boolean) forms', () => {
    expect(row({ type: 'integer', minimum: 1, maximum: 100, exclusiveMaximum: 100, default: 10 })).toBe('GET /things q P10:1-99 >a');
    expect(row({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 101, default: 10 })).toBe('GET /things q P10:1-100 >a');
    expect(row({ type: 'integer', minimum: 1, maximum: 100, exclusiveMinimum: true, exclusiveMaximum: true, default: 10 })).toBe('GET /things q P10:2-99 >a');
  });

  it.each([
    [{ type: 'integer', minimum: 1, maximum: 100, default: 500 }, 'listThings: its limit default 500 is outside 1-100'],
    [{ type: 'integer', minimum: 1, maximum: 20 }, 'listThings: its limit default 50 (the spec states none) is outside 1-20'],
    [{ type: 'integer', minimum: 1, maximum: 100, exclusiveMaximum: 100, default: 100 }, 'listThings: its limit default 100 is outside 1-99'],
    [{ type: 'integer', minimum: -5, maximum: 100, default: 10 }, 'listThings: its limit bounds must be whole numbers from 1 up, got -5-100'],
    [{ type: 'integer', minimum: 0, maximum: 100, default: 10 }, 'listThings: its limit bounds must be whole numbers from 1 up, got 0-100'],
    [{ type: 'integer', minimum: 1.5, maximum: 100, default: 10 }, 'listThings: its limit bounds must be whole numbers from 1 up, got 1.5-100'],
    [{ type: 'integer', minimum: 1, maximum: 100, default: 2.5 }, 'listThings: its limit default 2.5 is not a whole number'],
    [{ type: 'integer', minimum: 10, maximum: 5, default: 7 }, 'listThings: its limit range 10-5 is empty'],
    [{ type: 'integer', maximum: 100 }, 'listThings: its limit parameter states no whole minimum and maximum'],
  ])('refuses %j', (schema, message) => {
    expect(() => row(schema)).toThrow(message);
  });
});
