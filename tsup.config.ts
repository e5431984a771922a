import { defineConfig } from 'tsup';

// Six entry points, each importable alone: the SDK (fetch; every runtime), its Node build
// (the `node` export condition: undici transport, proxies), the webhook helpers (no SDK
// runtime pulled in), the Redis stores for fleets (`@coveton/sdk/redis`: the user's own
// `redis` client), the stateful mock for tests (`@coveton/sdk/mock`, Node only)
// and the CLI (Node only).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', webhooks: 'src/webhooks/index.ts', redis: 'src/redis/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
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
    sourcemap: true,
    clean: false,
    shims: true,
    target: 'node20',
    platform: 'node',
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
