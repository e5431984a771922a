// Safety numbers on Signal's model (NumericFingerprintGenerator, 5200 iterations): each side is
// 30 digits from SHA-512 iterated over (version ‖ keys ‖ stable id), the two sides sorted and joined:
// 60 digits, shown as 12 groups of 5, the same on both phones. A Coveton user has several devices,
// so the key input is the sorted concatenation of their active devices' tagged identity keys and
// the stable id is the user id. Any device added or changed changes the number.
import { concat, equal, u16, utf8, type Bytes } from './bytes.js';

const ITERATIONS = 5200;
const VERSION = 0;

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The 30 digits of one user: their identity keys (tagged, 33 bytes each) and their user id. */
export async function fingerprint(userId: string, identityKeys: Uint8Array[]): Promise<string> {
  const keys = concat(...[...identityKeys].sort(compare));
  let hash: Bytes = concat(u16(VERSION), keys, utf8(userId));
  for (let i = 0; i < ITERATIONS; i++) hash = new Uint8Array(await crypto.subtle.digest('SHA-512', concat(hash, keys)));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + hash[chunk * 5 + i]!;
    digits += String(n % 100000).padStart(5, '0');
  }
  return digits;
}

export interface SafetyNumber {
  /** 60 digits in 12 groups of 5, separated by spaces: read aloud or compare on screen. */
  digits: string;
  /** Whether what the other person reads out (spaces and dashes ignored) is this number. */
  matches(other: string): boolean;
}

export async function safetyNumber(me: { userId: string; keys: Uint8Array[] }, them: { userId: string; keys: Uint8Array[] }): Promise<SafetyNumber> {
  const sides = [await fingerprint(me.userId, me.keys), await fingerprint(them.userId, them.keys)].sort();
  const plain = sides.join('');
  return {
    digits: plain.match(/.{5}/g)!.join(' '),
    matches: (other) => equal(utf8(other.replace(/[\s-]/g, '')), utf8(plain)),
  };
}
