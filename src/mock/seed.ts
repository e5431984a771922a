// Fills the store: the default seed (seed-data.ts) and, with `--seed FILE`, a JSON document of
// the same shape on top: `{ "<collection>": [ { ...fields } ] }`, e.g. `{ "users": [{ "email":
// "grace@example.com", "password": "another-passphrase", "displayName": "Grace Hopper" }] }`.
// Rows are completed with the server-set fields of the collection's schema. Ids the file leaves
// out are derived from the record's place in the file, and timestamps are the seed's own, so
// the same file gives the same records at every start and after every reset.
import { readFileSync } from 'node:fs';
import { fill } from './fill.js';
import { itemSchema } from './resources.js';
import { defaultSeed, SEED, SEED_TIME, type SeedDocument } from './seed-data.js';
import { stableId } from '../tools/ids.js';
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

/** The secrets of the API keys the seeds hold (`secret` of an `api-keys` record). */
export function seededKeySecrets(extra: SeedDocument | undefined): Set<string> {
  const rows = [defaultSeed(), extra ?? {}].flatMap((doc) => doc['api-keys'] ?? []);
  return new Set(rows.map((row) => row.secret).filter((s): s is string => typeof s === 'string'));
}

export function applySeed(store: Store, spec: SpecModel, extra: SeedDocument | undefined): void {
  for (const [d, doc] of [defaultSeed(), extra ?? {}].entries()) {
    for (const [collection, rows] of Object.entries(doc)) {
      for (const [i, raw] of rows.entries()) {
        let n = 0;
        const ctx = { now: SEED_TIME, known: {}, resolve: spec.resolve, newId: (prefix: string) => stableId(prefix, `${d}/${collection}/${i}/${n++}`) };
        const { password, secret, ...row } = raw as Record<string, unknown>;
        const schema = itemSchema(spec, collection);
        if (password !== undefined) row._password = password;
        // An API key seeded with its secret authenticates like one the mock issued, for the
        // seeded user and organization unless the file says otherwise.
        if (secret !== undefined) row._secret = secret;
        if (collection === 'api-keys') Object.assign(row, { _organizationId: row.organizationId ?? SEED.organizationId, _createdBy: row.userId ?? SEED.userId });
        // What the API does not show (a notification's user, an invite's token): kept, hidden.
        if (schema?.properties) for (const name of Object.keys(row)) if (!name.startsWith('_') && !(name in schema.properties)) row[`_${name}`] = row[name];
        const filled = fill(schema, row, ctx);
        if (typeof filled.email === 'string') filled.email = filled.email.toLowerCase();
        store.put(collection, filled);
      }
    }
  }
}
