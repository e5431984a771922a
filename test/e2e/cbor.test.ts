// The inner message's CBOR decoder on lengths that lie, and the inner message on encodings that
// are not its one: every refusal is an E2EError `malformed`, never a RangeError from allocating
// what a count claims, nor a second encoding of a value taken.
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor, type CborValue } from '../../src/e2e/cbor.js';
import { decodeInner, encodeInner } from '../../src/e2e/inner.js';
import { E2EError } from '../../src/e2e/errors.js';
import { fromUtf8, utf8 } from '../../src/e2e/bytes.js';

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

describe('the inner message takes one encoding of one value (the wire-format guide)', () => {
  const body = new TextEncoder().encode('hi');
  const file = (extra: [number, CborValue][] = []) => new Map<number, CborValue>([[1, 'file_1'], [2, new Uint8Array(32)], [3, 5], [4, 'a'], [5, 'b'], ...extra]);
  const inner = (recipients: string[], extra: [number, CborValue][] = [], files = [file()]) =>
    encodeCbor(new Map<number, CborValue>([[1, body], [2, 1], [3, recipients], [4, files], ...extra]));
  const refusal = (bytes: Uint8Array) => {
    try {
      decodeInner(bytes);
    } catch (error) {
      if (error instanceof E2EError) return error.message;
      throw error;
    }
    return 'decoded';
  };

  it('recipients unsorted or named twice, an unknown key at the top or in a file: malformed naming the key', () => {
    expect(decodeInner(inner(['dev_a', 'dev_b'])).recipients).toEqual(['dev_a', 'dev_b']);
    expect(encodeInner(decodeInner(inner(['dev_a', 'dev_b'])))).toEqual(inner(['dev_a', 'dev_b']));
    expect([
      refusal(inner(['dev_b', 'dev_a'])),
      refusal(inner(['dev_a', 'dev_a', 'dev_b'])),
      refusal(inner(['dev_a'], [[9, 'x']])),
      refusal(inner(['dev_a'], [[0, 'x']])),
      refusal(inner(['dev_a'], [], [file([[7, 'x']])])),
    ]).toEqual(['malformed: inner 3', 'malformed: inner 3', 'malformed: inner 9', 'malformed: inner 0', 'malformed: inner 4.7']);
  });

  it('a text string led by a UTF-8 BOM keeps it: another value, not a second encoding of the text', () => {
    const bom = Uint8Array.from(Buffer.from('6defbbbf746578742f706c61696e', 'hex'));
    expect(decodeCbor(bom)).toBe('\ufefftext/plain');
    expect(encodeCbor(decodeCbor(bom))).toEqual(bom);
    const withBom = inner(['dev_a'], [], [file([[5, '\ufeffb']])]);
    expect(decodeInner(withBom).files[0]!.contentType).toBe('\ufeffb');
    expect(encodeInner(decodeInner(withBom))).toEqual(withBom);
    // The same decoder gives a decrypted message its text: a body's leading BOM is kept too.
    expect(fromUtf8(utf8('\ufeffhi'))).toBe('\ufeffhi');
  });

  it('a float (major type 7) is named as such, not as an integer out of shortest form', () => {
    for (const bytes of [[0xf9, 0x3c, 0x00], [0xfa, 0x3f, 0x80, 0, 0], [0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0], [0xf5]]) {
      expect(() => decodeCbor(new Uint8Array(bytes))).toThrow('malformed: major type 7 is not used');
    }
  });
});
