// The kind of success body each operation's decoder promises (the table's `>a`, `>o`, `>v`;
// src/pipeline/decode.ts refuses anything else) agrees with the spec's own schema, checked with
// Ajv rather than with the generator's reading of it. Found by a hostile review: the generator
// took an `allOf` for "any value", so `apiKeys.create` (ApiKeyWithSecret) and the sign-ins
// (AuthSession) resolved with `[]`, a string or `null` as the created key or the session.
import { describe, expect, it } from 'vitest';
import { operations, sessionOperations } from '../../generated/resources.js';
import { createAjv, deref, escapePointer, spec } from '../support/spec.js';

const ajv = createAjv();
const NOT_OBJECTS = [[], 'ak_test_x', 42, true, null];

/** Every row of both tables: its method, path and promised kind. */
const rows = [...Object.values(operations), ...Object.values(sessionOperations)].flatMap((group) =>
  Object.values(group as Record<string, string>).map((row) => {
    const [method, path] = row.split(' ') as [string, string];
    return { row, method: method.toLowerCase(), path, kind: /\s>(a|o|v)$/.exec(row)?.[1] };
  }),
);

describe('the kind of success body each operation is decoded as', () => {
  it('covers every operation of the tables', () => expect(rows.length).toBeGreaterThan(60));

  for (const { row, method, path, kind } of rows) {
    if (!kind) continue;
    it(row, () => {
      const op = spec.paths[path][method];
      const status = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s)).sort()[0]!;
      const { pointer } = deref(op.responses[status], `/paths/${escapePointer(path)}/${method}/responses/${status}`);
      const validate = ajv.getSchema(`openapi#${pointer}/content/application~1json/schema`)!;
      const admits = NOT_OBJECTS.filter((value) => validate(value)).map((value) => JSON.stringify(value));
      const admitsArray = validate([]);
      // `>o`: the schema takes no array and no scalar; `>a`: it takes an array; `>v`: it takes something that is not an object.
      if (kind === 'o') expect(admits).toEqual([]);
      if (kind === 'a') expect(admitsArray).toBe(true);
      if (kind === 'v') expect(admits).not.toEqual([]);
    });
  }
});
