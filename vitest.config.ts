import { defineConfig } from 'vitest/config';

// Tests mirror the layers. `unit`: the SDK's behaviour against in-process servers, no Prism,
// no child processes, under 30 s. `unit-undici`: the same behaviour suites again, with the
// Node entry's undici transport instead of fetch (test/support/client.ts picks the transport
// from COVETON_TEST_TRANSPORT): a parameterisation, not a copy. `integration`: everything that
// needs Prism, the CLI, the built package, other runtimes or the spec toolchain.
const unit = ['test/sdk/**/*.test.ts', 'test/webhooks/**/*.test.ts'];
const behaviour = ['test/sdk/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit, env: { COVETON_TEST_TRANSPORT: 'fetch' } } },
      { extends: true, test: { name: 'unit-undici', include: behaviour, env: { COVETON_TEST_TRANSPORT: 'undici' } } },
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
