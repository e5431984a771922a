import { defineConfig } from 'vitest/config';

// Tests mirror the layers. `unit`: the SDK's behaviour against in-process servers, no Prism,
// no child processes, under 30 s. `unit-undici`: the behaviour suites again, with the Node
// entry's undici transport instead of fetch (test/support/client.ts picks the transport from
// COVETON_TEST_TRANSPORT): a parameterisation, not a copy. `integration`: everything that needs
// Prism, the CLI, the built package, other runtimes or the spec toolchain.
const unit = ['test/sdk/**/*.test.ts', 'test/webhooks/**/*.test.ts', 'test/e2e/**/*.test.ts'];
const behaviour = ['test/sdk/**/*.test.ts'];
// Files that run once: pure functions (no transport at all), or clients given their own `fetch`
// (which is the transport whichever entry built them), or browser and Deno stand-ins.
const oneTransport = [
  'test/sdk/policy.test.ts',
  'test/sdk/surface.test.ts',
  'test/sdk/options.test.ts',
  'test/sdk/retry-timing.test.ts',
  'test/sdk/runtime-guards.test.ts',
  'test/sdk/url-policy.test.ts',
  'test/sdk/no-proxy.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit, env: { COVETON_TEST_TRANSPORT: 'fetch' } } },
      { extends: true, test: { name: 'unit-undici', include: behaviour, exclude: oneTransport, env: { COVETON_TEST_TRANSPORT: 'undici' } } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: unit,
          globalSetup: ['test/support/global-setup.ts'],
          typecheck: {
            enabled: true,
            include: ['test/types/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
    ],
  },
});
