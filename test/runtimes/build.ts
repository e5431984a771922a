// Builds what the runtimes run: the package's ESM build (the `index`, `index.node`, `webhooks` and
// `e2e` entries of tsup.config.ts, made by tsup into a temporary folder so the repo's dist/ is never
// raced), then one bundle per entry of this folder with `@coveton/sdk` resolved to that build the
// way the package's export conditions resolve it: Node gets `index.node` (undici), Bun, Deno,
// workerd and browsers get `index`. Every runtime gets plain ES modules with nothing left to
// resolve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type BuildOptions, type Plugin } from 'esbuild';
import { build as tsup } from 'tsup';
import { hpkeModules, sdkErrors } from '../../tsup.config.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

export interface Bundles {
  /** node-main.js (Node), main.js (Bun, Deno), worker.js (workerd), browser.js (Chromium). */
  dir: string;
}

export async function buildBundles(into: string): Promise<Bundles> {
  const dist = join(into, 'dist');
  const bundles = join(into, 'bundles');
  mkdirSync(bundles, { recursive: true });
  // The same settings as the package's tsup entries, ESM only and without declarations.
  const settings = { config: false, format: ['esm' as const], dts: false, treeshake: true, target: 'es2022', platform: 'neutral' as const, outDir: dist, silent: true };
  await tsup({ ...settings, entry: { index: join(root, 'src/index.ts'), 'index.node': join(root, 'src/index.node.ts'), webhooks: join(root, 'src/webhooks/index.ts') } });
  // The e2e entry as the package builds it: CovetonError taken from `@coveton/sdk/webhooks` (the
  // class the main entry shares), hpke-js from the modules the package bundles.
  await tsup({ ...settings, entry: { e2e: join(root, 'src/e2e/index.ts') }, external: ['@coveton/sdk', '@coveton/sdk/webhooks'], noExternal: ['@hpke/core', '@hpke/common'], esbuildPlugins: [hpkeModules, sdkErrors] });
  /** `@coveton/sdk` as the export conditions pick it: the Node entry for Node, else the default one. */
  const sdk = (entry: 'index' | 'index.node'): Plugin => ({
    name: 'coveton-sdk-build',
    setup(b) {
      b.onResolve({ filter: /^@coveton\/sdk(\/webhooks|\/e2e)?$/ }, (args) => ({
        path: join(dist, args.path === '@coveton/sdk' ? `${entry}.js` : `${args.path.slice('@coveton/sdk/'.length)}.js`),
      }));
    },
  });
  const common: BuildOptions = { bundle: true, format: 'esm', target: 'es2022', outdir: bundles, nodePaths: [join(root, 'node_modules')], logLevel: 'silent' };
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: { main: join(here, 'node-main.ts'), worker: join(here, 'worker.ts'), browser: join(here, 'browser.ts') },
      platform: 'neutral',
      mainFields: ['module', 'main'],
      plugins: [sdk('index')],
    }),
    esbuild({
      ...common,
      // undici (CommonJS) goes into the bundle; `require` of Node's built-ins needs a real require.
      entryPoints: { 'node-main': join(here, 'node-main.ts') },
      platform: 'node',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      plugins: [sdk('index.node')],
    }),
  ]);
  return { dir: bundles };
}
