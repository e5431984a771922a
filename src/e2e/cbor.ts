// The subset of deterministic CBOR (RFC 8949 §4.2.1) the inner message uses: unsigned integers,
// byte strings, text strings, arrays and maps with unsigned integer keys in ascending order, all
// lengths in their shortest form. The decoder refuses anything else, so one value has one encoding
// (another language's SDK produces the same bytes).
import { concat, fromUtf8, u16, u32, utf8, type Bytes } from './bytes.js';
import { E2EError } from './errors.js';

export type CborValue = number | Uint8Array | string | CborValue[] | CborMap;
export type CborMap = Map<number, CborValue>;

function head(major: number, n: number): Bytes {
  if (!Number.isSafeInteger(n) || n < 0) throw new E2EError('malformed', 'integer');
  const m = major << 5;
  if (n < 24) return new Uint8Array([m | n]);
  if (n < 0x100) return new Uint8Array([m | 24, n]);
  if (n < 0x10000) return concat(new Uint8Array([m | 25]), u16(n));
  if (n < 0x100000000) return concat(new Uint8Array([m | 26]), u32(n));
  // u32 keeps the low 32 bits of what it is given (`>>>`): the high word, then the low one.
  return concat(new Uint8Array([m | 27]), u32(n / 0x100000000), u32(n));
}

export function encodeCbor(value: CborValue): Bytes {
  if (typeof value === 'number') return head(0, value);
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (typeof value === 'string') {
    const bytes = utf8(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (Array.isArray(value)) return concat(head(4, value.length), ...value.map(encodeCbor));
  const keys = [...value.keys()].sort((a, b) => a - b);
  return concat(head(5, keys.length), ...keys.flatMap((k) => [head(0, k), encodeCbor(value.get(k)!)]));
}

const bad = (why: string) => new E2EError('malformed', why);

export function decodeCbor(bytes: Uint8Array): CborValue {
  let at = 0;
  const take = (n: number) => {
    if (at + n > bytes.length) throw bad('ends early');
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const arg = (info: number): number => {
    if (info < 24) return info;
    // 24 to 27: the argument follows in 1, 2, 4 or 8 bytes; 28 to 31 are reserved or indefinite.
    if (info > 27) throw bad('indefinite or reserved length');
    const size = 1 << (info - 24);
    let n = 0;
    for (const b of take(size)) n = n * 256 + b;
    // Shortest form: at least 24 in one byte, else above what half as many bytes hold (2^(4 * size)).
    if (n < (size === 1 ? 24 : 2 ** (4 * size)) || !Number.isSafeInteger(n)) throw bad('integer not in shortest form');
    return n;
  };
  const item = (depth: number): CborValue => {
    if (depth > 8) throw bad('nested too deep');
    const first = take(1)[0]!;
    const major = first >> 5;
    // Before its argument is read: a float's bits are no integer to judge the form of.
    if (major === 1 || major > 5) throw bad(`major type ${major} is not used`);
    const n = arg(first & 31);
    switch (major) {
      case 0:
        return n;
      case 2:
        return take(n).slice();
      case 3:
        try {
          return fromUtf8(take(n));
        } catch {
          throw bad('text is not UTF-8');
        }
      case 4:
        // Every item takes at least one byte: a count beyond what is left is a lie, refused before any allocation.
        if (n > bytes.length - at) throw bad('array longer than its bytes');
        return Array.from({ length: n }, () => item(depth + 1));
      default: {
        // Major type 5, a map: the only one left.
        if (n > (bytes.length - at) / 2) throw bad('map longer than its bytes');
        const map: CborMap = new Map();
        let last = -1;
        for (let i = 0; i < n; i++) {
          const key = item(depth + 1);
          if (typeof key !== 'number' || key <= last) throw bad('map keys must be ascending unsigned integers');
          last = key;
          map.set(key, item(depth + 1));
        }
        return map;
      }
    }
  };
  const value = item(0);
  if (at !== bytes.length) throw bad('trailing bytes');
  return value;
}
