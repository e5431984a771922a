// The API key secrets this mock issues, and whether a secret is one of them. Why: the sandbox
// convenience (the docs' samples send `ak_test_AnyWellFormedSandboxKey0001`) takes an `ak_test_` key the mock never
// issued as a full-access key of the seeded organization; a key it issued and no longer holds
// (deleted: "DELETE removes the record", API brief, "API keys"; dropped by the collection cap;
// forgotten by a reset) must not fall into that, or deleting a narrow key would turn it into a
// full-access one. The API refuses a key it does not hold with a 401; so does the mock.
//
// No state per key: the last TAG characters of an issued secret's random part are an HMAC of the
// rest, under a key made when the module loads (so a reset, which forgets every key, still knows
// them). The secret keeps the spec's shape (ApiKeyWithSecret: `^ak_(live|test)_[A-Za-z0-9]{24,}$`).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base62, base62From } from '../tools/ids.js';

const RANDOM = 24;
/** 8 base62 characters: a secret the mock never issued carries a matching tag once in 2e14. */
const TAG = 8;
const TAG_KEY = randomBytes(32);

// 32 bytes of HMAC give the 8 characters unless 25 of them are past 247: never, in practice.
const tag = (body: string) => base62From(createHmac('sha256', TAG_KEY).update(body).digest(), TAG);

/** A new secret: `ak_live_` for production keys, `ak_test_` for the other environments. */
export function newKeySecret(environment: string): string {
  const body = `${environment === 'production' ? 'ak_live_' : 'ak_test_'}${base62(RANDOM)}`;
  return body + tag(body);
}

/** Whether this module issued `secret` (in this process, under any mock). */
export function issuedHere(secret: string): boolean {
  if (secret.length !== 'ak_test_'.length + RANDOM + TAG) return false;
  const given = Buffer.from(secret.slice(-TAG));
  const expected = Buffer.from(tag(secret.slice(0, -TAG)));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
