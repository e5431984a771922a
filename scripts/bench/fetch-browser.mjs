// The fetch build in Debian's headless Chromium, where most of its users are: fetch-measure.mjs and
// the SDK's browser build (dist/index.js) bundled into one script, run in a page that has the
// bench server's origin, so every call is same-origin (no CORS preflight in either contender).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { API_KEY, BENCH_DIR, ROOT, SDK_ENTRY } from './child.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Nothing of Chromium's own on the network while it is measured.
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function runInChromium(url, { warmup, calls, rounds }) {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian's package chromium)`);
  const entry = `import { createCoveton } from ${JSON.stringify(SDK_ENTRY)};
import { measure } from ${JSON.stringify(join(BENCH_DIR, 'fetch-measure.mjs'))};
globalThis.__measure = (options) => measure(createCoveton, options);`;
  const bundle = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'js' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    // Whatever the server answers (a 404), the page now has its origin.
    await page.goto(`${url}/bench-page`);
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const options = { url, key: API_KEY, warmup, calls, rounds, browser: true };
    return await page.evaluate((o) => globalThis.__measure(o), options);
  } finally {
    await browser.close();
  }
}
