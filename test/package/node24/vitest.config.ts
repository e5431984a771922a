// The SDK's own tests on a second Node major (test/package/node24.test.ts starts this with the
// Node 24 binary of the npm package `node`). Unlike vitest.config.ts: no Prism mock (these tests
// use in-process servers), no type checking (the types do not depend on the runtime), and one
// extra file that proves which Node ran.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/sdk/**/*.test.ts', 'test/webhooks/**/*.test.ts', 'test/package/node24/runtime.check.ts'],
    testTimeout: 30_000,
    // As in the main config's unit projects: these files keep no module state, so one registry
    // serves them all (40 s of CPU with a registry per file, 16 s without).
    isolate: false,
    hookTimeout: 60_000,
  },
});
