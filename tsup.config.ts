import { defineConfig } from 'tsup';

// Four entry points, each importable alone: the SDK, the webhook helpers (no SDK runtime
// pulled in), the stateful mock for tests (`@coveton/sdk/mock`, Node only) and the CLI (Node only).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false, // the package ships no sources for maps to point at
    clean: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
  },
  {
    // Node only, never reachable from src/index.ts: it stays out of the browser bundle.
    entry: { mock: 'src/mock/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: false,
    shims: true,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
  },
  {
    // The CLI in chunks, dist/cli/bin.js first: a command's code (and the SDK) loads when the
    // command runs, so `coveton --version` and `--help` start with the definitions only.
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
