import { defineConfig } from 'tsup';

// Four entry points, each importable alone: the SDK, the webhook helpers (no SDK runtime
// pulled in), the Redis stores for fleets (Node only, the user's own `redis` client), and the
// CLI (Node only).
export default defineConfig([
  {
    // The Redis entry imports only `node:crypto` (kept external) and types of the SDK.
    entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts', redis: 'src/redis/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['node:crypto'],
    removeNodeProtocol: false,
    outDir: 'dist',
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    outDir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
