// The inner message (inside the AEAD, signed): a deterministic CBOR map with integer keys.
//   1 body (bytes)   2 sentAt (ms since 1970)   3 recipients (sorted device ids)
//   4 files ([{1 fileId, 2 key[32], 3 size, 4 filename, 5 contentType}])   5 expiresAt (ms, optional)
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from './cbor.js';
import type { Bytes } from './bytes.js';
import { E2EError } from './errors.js';

export interface FileRef {
  fileId: string;
  /** The file's own content key (32 bytes): whoever holds the message can read the file. */
  key: Uint8Array;
  /** Plaintext bytes. */
  size: number;
  filename: string;
  contentType: string;
}

export interface Inner {
  body: Bytes;
  sentAt: number;
  recipients: string[];
  files: FileRef[];
  expiresAt?: number;
}

export function encodeInner(inner: Inner): Bytes {
  const map: CborMap = new Map<number, CborValue>([
    [1, inner.body],
    [2, inner.sentAt],
    [3, [...inner.recipients].sort()],
    [
      4,
      inner.files.map(
        (f) =>
          new Map<number, CborValue>([
            [1, f.fileId],
            [2, f.key],
            [3, f.size],
            [4, f.filename],
            [5, f.contentType],
          ]),
      ),
    ],
  ]);
  if (inner.expiresAt !== undefined) map.set(5, inner.expiresAt);
  return encodeCbor(map);
}

const bad = (field: string) => new E2EError('malformed', `inner ${field}`);
function field<T>(map: CborMap, key: number, check: (v: CborValue) => v is CborValue & T, optional = false): T | undefined {
  const value = map.get(key);
  if (value === undefined && optional) return undefined;
  if (value === undefined || !check(value)) throw bad(String(key));
  return value as T;
}
const isBytes = (v: CborValue): v is Bytes => v instanceof Uint8Array;
const isNumber = (v: CborValue): v is number => typeof v === 'number';
const isText = (v: CborValue): v is string => typeof v === 'string';
const isArray = (v: CborValue): v is CborValue[] => Array.isArray(v);
const isMap = (v: CborValue): v is CborMap => v instanceof Map;

/**
 * Refuses a key this version does not define (`malformed`, naming it): a v1 reader that skipped
 * one would take a message meaning more than it reads; a later version changes the version byte.
 */
function known(map: CborMap, prefix: string): void {
  for (const key of map.keys()) if (key < 1 || key > 5) throw bad(prefix + key);
}

export function decodeInner(bytes: Uint8Array): Inner {
  const map = decodeCbor(bytes);
  if (!isMap(map)) throw bad('root');
  known(map, '');
  // Sorted, each once (strictly ascending, as encodeInner sorts): the one encoding of the set.
  const recipients = field<CborValue[]>(map, 3, isArray)!;
  if (!recipients.every((r, i) => isText(r) && (i === 0 || (recipients[i - 1] as string) < r))) throw bad('3');
  const files = field<CborValue[]>(map, 4, isArray)!.map((f) => {
    if (!isMap(f)) throw bad('4');
    known(f, '4.');
    const key = field<Bytes>(f, 2, isBytes)!;
    if (key.length !== 32) throw bad('4.2');
    return { fileId: field<string>(f, 1, isText)!, key, size: field<number>(f, 3, isNumber)!, filename: field<string>(f, 4, isText)!, contentType: field<string>(f, 5, isText)! };
  });
  const expiresAt = field<number>(map, 5, isNumber, true);
  return {
    body: field<Bytes>(map, 1, isBytes)!,
    sentAt: field<number>(map, 2, isNumber)!,
    recipients: recipients as string[],
    files,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
