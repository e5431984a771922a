#!/usr/bin/env node
// The public API of each entry point, as api-extractor sees it in the built declarations:
// one committed report per entry in api/, so that every change to the surface is a reviewed
// diff. `npm run api:report` rewrites the reports from dist/ (build first); the package test
// runs `checkApiReports` on the packed package and fails when a report is out of date.
//
//   node scripts/api-report.mjs           update api/*.api.md from dist/
//   node scripts/api-report.mjs --check   fail (exit 1) when dist/ differs from api/
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points: report name and declaration file in dist/. */
export const API_ENTRIES = [
  { name: 'index', dts: 'index.d.ts' },
  { name: 'index.node', dts: 'index.node.d.ts' },
  { name: 'webhooks', dts: 'webhooks.d.ts' },
  { name: 'redis', dts: 'redis.d.ts' },
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
  try {
    for (const entry of API_ENTRIES) {
      const config = ExtractorConfig.prepare({
        configObjectFullPath: join(root, 'api', 'api-extractor.json'),
        packageJsonFullPath: packageJson,
        configObject: {
          projectFolder: root,
          mainEntryPointFilePath: join(distDir, entry.dts),
          apiReport: { enabled: true, reportFolder: join(root, 'api'), reportTempFolder: temp, reportFileName: `${entry.name}.api.md` },
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          compiler: {
            overrideTsconfig: {
              compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, types: ['node'] },
              files: [join(distDir, entry.dts)],
            },
          },
          messages: {
            compilerMessageReporting: { default: { logLevel: 'warning' } },
            extractorMessageReporting: {
              default: { logLevel: 'warning' },
              'ae-missing-release-tag': { logLevel: 'none' },
              'ae-forgotten-export': { logLevel: 'none' },
              'ae-unresolved-link': { logLevel: 'none' },
            },
            tsdocMessageReporting: { default: { logLevel: 'none' } },
          },
        },
      });
      const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false, messageCallback: (m) => void (m.handled = m.logLevel !== 'error') });
      if (result.apiReportChanged) changed.push(check ? `${entry.name}: ${firstDifference(join(root, 'api', `${entry.name}.api.md`), join(temp, `${entry.name}.api.md`))}` : entry.name);
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
  } else console.log(`api: rewrote ${changed.map((n) => `api/${n}.api.md`).join(', ')}`);
}
