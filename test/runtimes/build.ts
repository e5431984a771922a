// Builds what the runtimes run: the package's ESM build (the `index`, `index.node` and `webhooks`
// entries of tsup.config.ts, made by tsup into a temporary folder so the repo's dist/ is never
// raced), then one bundle per entry of this folder with `@coveton/sdk` resolved to that build the
// way the package's export conditions resolve it: Node gets `index.node` (undici), Bun, Deno,
// workerd and browsers get `index`. Every runtime gets plain ES modules with nothing left to
// resolve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type BuildOptions, type Plugin } from 'esbuild';
import { build as tsup } from 'tsup';

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
  // The same settings as the package's first tsup entry, ESM only and without declarations.
  await tsup({
    config: false,
    entry: { index: join(root, 'src/index.ts'), 'index.node': join(root, 'src/index.node.ts'), webhooks: join(root, 'src/webhooks/index.ts') },
    format: ['esm'],
    dts: false,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: dist,
    silent: true,
  });
  /** `@coveton/sdk` as the export conditions pick it: the Node entry for Node, else the default one. */
  const sdk = (entry: 'index' | 'index.node'): Plugin => ({
    name: 'coveton-sdk-build',
    setup(b) {
      b.onResolve({ filter: /^@coveton\/sdk(\/webhooks)?$/ }, (args) => ({
        path: join(dist, args.path.endsWith('/webhooks') ? 'webhooks.js' : `${entry}.js`),
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
