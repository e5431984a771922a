// The inner message's CBOR decoder on lengths that lie: every refusal is an E2EError `malformed`,
// never a RangeError from allocating what a count claims.
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../src/e2e/cbor.js';
import { E2EError } from '../../src/e2e/errors.js';

function code(bytes: number[]): string {
  try {
    decodeCbor(new Uint8Array(bytes));
  } catch (error) {
    if (error instanceof E2EError) return error.code;
    throw error;
  }
  throw new Error('decoded');
}

const u64 = (major: number, n: bigint) => [(major << 5) | 27, ...Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(56 - 8 * i)) & 0xffn))];

describe('CBOR counts beyond the bytes left', () => {
  it('an array or map of 2^32 or 2^53 - 1 items with no bytes behind: malformed', () => {
    for (const n of [2n ** 32n, 2n ** 53n - 1n]) {
      expect([String(n), code(u64(4, n))]).toEqual([String(n), 'malformed']);
      expect([String(n), code(u64(5, n))]).toEqual([String(n), 'malformed']);
    }
  });

  it('a count one more than the items present: malformed; the exact count decodes', () => {
    expect(code([0x83, 0x01, 0x02])).toBe('malformed');
    expect(code([0xa2, 0x01, 0x02])).toBe('malformed');
    expect(decodeCbor(new Uint8Array([0x82, 0x01, 0x02]))).toEqual([1, 2]);
    expect(decodeCbor(encodeCbor(new Map([[1, 2]])))).toEqual(new Map([[1, 2]]));
  });
});
