#!/usr/bin/env node
// The public API of each entry point, as api-extractor sees it in the built declarations:
// one committed report per entry in api/, so that every change to the surface is a reviewed
// diff. `npm run api:report` rewrites the reports from dist/ (build first); the package test
// runs `checkApiReports` on the packed package and fails when a report is out of date.
//
//   node scripts/api-report.mjs           update api/*.api.md from dist/
//   node scripts/api-report.mjs --check   fail (exit 1) when dist/ differs from api/
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The entry points: report name and declaration file in dist/. `same` names the report an entry
 * must match instead of having its own: the Node entry has the surface of the main one.
 */
export const API_ENTRIES = [
  { name: 'index', dts: 'index.d.ts' },
  { name: 'index.node', dts: 'index.node.d.ts', same: 'index' },
  { name: 'webhooks', dts: 'webhooks.d.ts' },
  { name: 'redis', dts: 'redis.d.ts' },
  { name: 'schema', dts: 'schema.d.ts' },
  { name: 'e2e', dts: 'e2e.d.ts' },
  { name: 'e2e-node', dts: 'e2e-node.d.ts' },
  { name: 'mock', dts: 'mock.d.ts' },
];

/** Where two reports part, as `line N: -old +new`, so a failing check says what changed. */
function firstDifference(committedFile, builtFile) {
  const read = (f) => {
    try {
      return readFileSync(f, 'utf8').split('\n');
    } catch {
      return [];
    }
  };
  const [a, b] = [read(committedFile), read(builtFile)];
  const at = a.findIndex((line, i) => line !== b[i]);
  const i = at < 0 ? a.length : at;
  return `line ${i + 1}: -${JSON.stringify(a[i] ?? '')} +${JSON.stringify(b[i] ?? '')}`;
}

/**
 * Runs api-extractor on each entry of `distDir`. With `check`, compares against the committed
 * reports and returns the names of those that differ; without, rewrites them.
 */
export function apiReports({ distDir = join(root, 'dist'), packageJson = join(root, 'package.json'), check = false } = {}) {
  const temp = mkdtempSync(join(tmpdir(), 'coveton-api-'));
  const changed = [];
  // The entries import the generated types from `@coveton/sdk/schema`, which has a report of its
  // own. Seen through the package itself, api-extractor would take them for this entry's own
  // declarations; a copy under a node_modules folder is an external package to it, so each report
  // names them without repeating them.
  const schema = join(temp, 'node_modules', '@coveton', 'sdk-schema', 'index.d.ts');
  mkdirSync(dirname(schema), { recursive: true });
  copyFileSync(join(distDir, 'schema.d.cts'), schema);
  // The e2e entry takes the client's type from the main entry: seen the same way, as another
  // package, so its report names `Coveton` without repeating the main entry's surface.
  const main = join(temp, 'node_modules', '@coveton', 'sdk-main');
  cpSync(distDir, main, { recursive: true, filter: (f) => !f.includes('/cli') });
  // Entries resolve the other entries the same way unless they are the schema or e2e: one
  // TypeScript program serves every entry of a kind (three programs, not seven: a third of the
  // CPU time), each entry still analysed from its own declaration file.
  const kindOf = (entry) => (entry.name === 'schema' ? 'schema' : entry.name.startsWith('e2e') ? 'e2e' : 'sdk');
  const programs = new Map();
  try {
    for (const entry of API_ENTRIES) {
      const config = ExtractorConfig.prepare({
        configObjectFullPath: join(root, 'api', 'api-extractor.json'),
        packageJsonFullPath: packageJson,
        configObject: {
          projectFolder: root,
          mainEntryPointFilePath: join(distDir, entry.dts),
          apiReport: { enabled: true, reportFolder: join(root, 'api'), reportTempFolder: temp, reportFileName: `${entry.same ?? entry.name}.api.md` },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          compiler: {
            overrideTsconfig: {
              compilerOptions: {
                target: 'ES2022',
                lib: ['ES2022', 'DOM', 'DOM.Iterable'],
                module: 'ESNext',
                moduleResolution: 'Bundler',
                strict: true,
                skipLibCheck: true,
                types: ['node'],
                ...(kindOf(entry) === 'schema' ? {} : { paths: { '@coveton/sdk/schema': [schema], ...(kindOf(entry) === 'e2e' ? { '@coveton/sdk': [join(main, 'index.d.ts')], '@coveton/sdk/e2e': [join(main, 'e2e.d.ts')] } : {}) } }),
              },
              files: [join(distDir, entry.dts)],
            },
          },
          messages: {
            compilerMessageReporting: { default: { logLevel: 'warning' } },
            extractorMessageReporting: {
              default: { logLevel: 'warning' },
              'ae-missing-release-tag': { logLevel: 'none' },
              // A public signature that uses a type the entry does not export: an error, never a hole in the report.
              'ae-forgotten-export': { logLevel: 'error' },
              'ae-unresolved-link': { logLevel: 'none' },
            },
            tsdocMessageReporting: { default: { logLevel: 'none' } },
          },
        },
      });
      const errors = [];
      const messageCallback = (m) => {
        if (m.logLevel === 'error') errors.push(`${entry.name}: ${m.messageId} ${m.text}`);
        m.handled = true;
      };
      // An entry checked against another's report never rewrites it: a difference is always reported.
      if (!programs.has(kindOf(entry))) {
        const others = API_ENTRIES.filter((e) => e !== entry && kindOf(e) === kindOf(entry)).map((e) => join(distDir, e.dts));
        programs.set(kindOf(entry), CompilerState.create(config, { additionalEntryPoints: others }));
      }
      const result = Extractor.invoke(config, { localBuild: !check && !entry.same, showVerboseMessages: false, messageCallback, compilerState: programs.get(kindOf(entry)) });
      if (errors.length > 0) throw new Error(`api-extractor refused the ${entry.name} entry:\n  ${errors.join('\n  ')}`);
      const report = entry.same ?? entry.name;
      if (entry.same && result.apiReportChanged) changed.push(`${entry.name} differs from api/${report}.api.md: ${firstDifference(join(root, 'api', `${report}.api.md`), join(temp, `${report}.api.md`))}`);
      else if (result.apiReportChanged) changed.push(check ? `${entry.name}: ${firstDifference(join(root, 'api', `${report}.api.md`), join(temp, `${report}.api.md`))}` : entry.name);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return changed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const changed = apiReports({ check });
  if (changed.length === 0) console.log('api: reports up to date');
  else if (check) {
    console.error(`api: the public API changed without its report:\n  ${changed.join('\n  ')}\nReview the diff, then run npm run api:report.`);
    process.exit(1);
  } else {
    const differ = changed.filter((n) => n.includes(' differs from '));
    console.log(`api: rewrote ${changed.filter((n) => !differ.includes(n)).map((n) => `api/${n}.api.md`).join(', ')}`);
    if (differ.length > 0) {
      console.error(`api: ${differ.join('\n  ')}`);
      process.exit(1);
    }
  }
}
