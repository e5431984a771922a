// Fills the store: the default seed (seed-data.ts) and, with `--seed FILE`, a JSON document of
// the same shape on top: `{ "<collection>": [ { ...fields } ] }`, e.g. `{ "users": [{ "email":
// "grace@example.com", "password": "another-passphrase", "displayName": "Grace Hopper" }] }`.
// Rows are completed with the server-set fields of the collection's schema.
import { readFileSync } from 'node:fs';
import { fill } from './fill.js';
import { itemSchema } from './resources.js';
import { defaultSeed, type SeedDocument } from './seed-data.js';
import type { SpecModel } from '../tools/spec-model.js';
import type { Store } from './state.js';

export function readSeedFile(path: string): SeedDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the seed file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Object.values(doc).every(Array.isArray)) {
    throw new Error(`the seed file ${path} must be a JSON object of arrays: { "<collection>": [ { ... } ] }`);
  }
  return doc as SeedDocument;
}

export function applySeed(store: Store, spec: SpecModel, extra: SeedDocument | undefined, now: number): void {
  const ctx = { now: new Date(now).toISOString(), known: {}, resolve: spec.resolve };
  for (const doc of [defaultSeed(), extra ?? {}]) {
    for (const [collection, rows] of Object.entries(doc)) {
      for (const raw of rows) {
        const { password, secret, ...row } = raw as Record<string, unknown>;
        if (password !== undefined) row._password = password;
        // An API key seeded with its secret authenticates like one the mock issued.
        if (secret !== undefined) row._secret = secret;
        const filled = fill(itemSchema(spec, collection), row, ctx);
        if (typeof filled.email === 'string') filled.email = filled.email.toLowerCase();
        store.put(collection, filled);
      }
    }
  }
}
