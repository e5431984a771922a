#!/usr/bin/env node
// Runs after tsup (`npm run build`): tsup writes every shared declaration chunk twice, as
// `name-HASH.d.ts` for the ESM entries and as an identical `name-HASH.d.cts` for the CommonJS
// ones. The generated API types make one such chunk over 300 kB. An ES module may import a
// CommonJS declaration file (the reverse is what TypeScript's node16 resolution forbids), so the
// ESM entry declarations are pointed at the `.d.cts` chunk and the `.d.ts` copy is deleted.
// Entry declarations (those with a built `.js` beside them) keep both forms: each condition of
// `exports` needs types of its own format. A chunk whose two copies differ is left as it is.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `name` of a chunk file `name-HASH`: tsup may give the ESM and CommonJS copies different hashes. */
const stem = (base) => base.replace(/-[\w-]{8}$/, '');

/** Shares the declarations of `dist` between ESM and CommonJS; returns the `.d.cts` files shared. */
export function shareDeclarations(dist) {
  const isChunk = (base) => !existsSync(join(dist, `${base}.js`));
  const bases = (ext) => readdirSync(dist).filter((file) => file.endsWith(ext)).map((file) => file.slice(0, -ext.length));
  /** ESM chunk -> the CommonJS chunk it equals. */
  const twin = new Map();
  // An ESM chunk equals a CommonJS one when they differ only in the extensions of their
  // relative imports, and in the names of chunks already found equal. Sharing one chunk can make
  // another equal (it imports the first), so repeat until nothing more is found.
  const normal = (text) =>
    text.replace(/((?:from|import) '\.\/)([^']+)\.(c?js)'/g, (whole, head, name) => `${head}${twin.get(name) ?? name}'`);
  for (let found = true; found; ) {
    found = false;
    const cjsChunks = bases('.d.cts').filter(isChunk);
    for (const base of bases('.d.ts').filter(isChunk)) {
      if (twin.has(base)) continue;
      const esm = normal(readFileSync(join(dist, `${base}.d.ts`), 'utf8'));
      const match = cjsChunks.find((other) => stem(other) === stem(base) && normal(readFileSync(join(dist, `${other}.d.cts`), 'utf8')) === esm);
      if (match === undefined) continue;
      twin.set(base, match);
      found = true;
    }
  }
  const shared = [...twin.values()];
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.ts'))) {
    const path = join(dist, file);
    if (twin.has(file.slice(0, -'.d.ts'.length))) continue;
    const text = readFileSync(path, 'utf8');
    const next = text.replace(/((?:from|import) '\.\/)([^']+)\.js'/g, (whole, head, name) => (twin.has(name) ? `${head}${twin.get(name)}.cjs'` : whole));
    if (next !== text) writeFileSync(path, next);
  }
  for (const base of twin.keys()) rmSync(join(dist, `${base}.d.ts`));
  // An entry's ESM declarations, once they point at the same chunks, are its CommonJS ones with
  // other import extensions: they become a re-export of those (`export *` carries no default).
  const entries = [];
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.ts'))) {
    const base = file.slice(0, -'.d.ts'.length);
    if (!existsSync(join(dist, `${base}.js`)) || !existsSync(join(dist, `${base}.d.cts`))) continue;
    const esm = readFileSync(join(dist, file), 'utf8');
    const cjs = readFileSync(join(dist, `${base}.d.cts`), 'utf8');
    const asEsm = cjs.replace(/(from '\.\/[^']+)\.cjs'/g, (whole, head) => (shared.some((chunk) => head === `from './${chunk}`) ? whole : `${head}.js'`));
    if (asEsm !== esm || /\bdefault\b/.test(cjs.match(/^export \{[^}]*\}/m)?.[0] ?? '') || /^export default /m.test(cjs)) continue;
    writeFileSync(join(dist, file), `export * from './${base}.cjs';\n`);
    entries.push(base);
  }
  return [...shared, ...entries];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const shared = shareDeclarations(join(root, 'dist'));
  console.log(`declarations shared by ESM and CommonJS: ${shared.map((base) => `${base}.d.cts`).join(', ') || 'none'}`);
}
