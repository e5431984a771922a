import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/support/sequencer.js';

// Tests mirror the layers. `unit`: the SDK's behaviour against in-process servers, no Prism,
// no child processes (but the two short Node writers of test/e2e/node-file-key-store.test.ts:
// the file key store's lock is between processes), under 30 s. `unit-undici`: the behaviour suites again, with the Node
// entry's undici transport instead of fetch (test/support/client.ts picks the transport from
// COVETON_TEST_TRANSPORT): a parameterisation, not a copy. `integration`: everything that needs
// Prism, the CLI, the built package, other runtimes or the spec toolchain. `typecheck`: tsc over
// the whole project, type-level tests (test/types/*.test-d.ts) included, started with the run at
// the lowest CPU priority (test/support/typecheck-setup.ts); its file reads the verdict, last.
// Vitest's typecheck mode ran tsc in a group after all others, with one core idle.
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
  'test/sdk/abort-source.test.ts',
  'test/sdk/undici-pools.test.ts',
  'test/sdk/undici-body-stream.test.ts',
  'test/sdk/custom-fetch-undici.test.ts',
  'test/sdk/node-blob-upload.test.ts',
];

// Vitest's default is one worker per core minus one: on the 2-core CI machine a single worker,
// so every file waited for every other although most integration time is spent waiting on child
// processes, browsers and sockets. Two groups run one after the other: first everything that
// does not measure time across processes, two files at a time; then the files whose outcome
// depends on a fleet of processes sharing the CPU fairly (fleets, rate-limit windows), one at a
// time. The packed tarball and the second Node run in the first group: neither measures time,
// nor does the Redis/memory store parity (fixed timestamps, counts only). The Prism mock is not
// started for this group: none of its files uses it. A new file whose outcome depends on timing
// across processes is listed here by name.
const alone = [
  'test/fleet/rate-limit.test.ts', // budget windows of 1-2 s, Redis stopped mid-run
  'test/fleet/sessions.test.ts', // lock TTLs of 1 s, an access token living 4 s
  'test/fleet/redis-cluster.test.ts', // a failover within a bounded number of 300 ms timeouts
  'test/fleet/redis-stores.test.ts', // lock renewal and expiry against lockTtl
  'test/mock/rate-limit.test.ts', // 130 requests inside one 2 s window
];
// The unit files share one module registry per worker (no isolation): they start in-process
// servers, restore every stubbed global, env and timer, and keep no module state of their own,
// so a fresh registry per file only cost its imports again. The SDK's own module state is shared
// too (the AbortControllers lent to fetch wait in one pool per module instance): a file that
// counts on it loads the SDK afresh (test/sdk/abort-source.test.ts). Measured on the 2-core machine:
// 96 s of CPU for both unit projects with isolation, 44 s without, the same 623 tests passing.
const shared = { isolate: false };
// Integration files that share a registry the same way: the in-process mock, the spec
// toolchain, the contract checks and the CLI (every server and child they start is theirs,
// stopped in their own hooks). Measured here: mock, spec and contract 131 s of CPU isolated
// against 77 s shared; the CLI 102 s against 68 s; the same tests passing.
const sharedIntegration = ['test/mock/**/*.test.ts', 'test/spec/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/cli/**/*.test.ts'];
const typecheck = 'test/types/project.test.ts';
const integration = {
  globalSetup: ['test/support/global-setup.ts'],
};

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    sequence: { sequencer: SlowestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: unit, env: { COVETON_TEST_TRANSPORT: 'fetch' }, ...shared, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'unit-undici', include: behaviour, exclude: oneTransport, env: { COVETON_TEST_TRANSPORT: 'undici' }, ...shared, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...unit, ...alone, ...sharedIntegration, typecheck],
          ...integration,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'integration-shared', include: sharedIntegration, exclude: alone, ...integration, ...shared, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'integration-alone', include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'typecheck', include: [typecheck], globalSetup: ['test/support/typecheck-setup.ts'], maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});
