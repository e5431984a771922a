import { defineConfig } from 'tsup';

// Three entry points, each importable alone: the SDK, the webhook helpers (no SDK runtime
// pulled in), and the CLI (Node only). No source maps: the package ships no sources for them to
// point at, and the tarball stays small. The CLI is split into chunks loaded when a command runs
// (dist/cli/bin.js is the start), so `coveton --version` and `--help` load neither the SDK nor
// the table code.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
  },
  {
    entry: { bin: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    splitting: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    outDir: 'dist/cli',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
