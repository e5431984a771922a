import { defineConfig } from 'tsup';

// Three entry points, each importable alone: the SDK, the webhook helpers (no SDK runtime
// pulled in), and the CLI (Node only).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
  },
]);
