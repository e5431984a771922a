// One Prism mock for the integration projects, on the bundled spec, started the way `coveton
// mock` starts it (so it stops when the test run ends); its URL reaches tests through
// inject('mockUrl'). Ready means it answered an HTTP request, not that its port accepted a
// connection: Prism opens the port before it can serve, and a test that ran in between saw
// "Prism did not answer".
import type { TestProject } from 'vitest/node';
import { startBundledMock } from '../../src/tools/prism.js';
import { bundledSpecPath } from '../../src/tools/spec-files.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

/** Polls a public operation until Prism answers it with any HTTP status. */
export async function untilAnswers(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/permissions`, { headers: { authorization: 'Bearer ready-check' }, signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`Prism at ${url} did not answer HTTP within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Both projects that use the mock (integration, integration-shared) get this one: Vitest runs
 * each project's global setup in its own turn before any test starts, so a Prism each cost a
 * second start-up (some 5 s of one core) while nothing else ran. The last teardown stops it.
 */
interface Shared {
  mock: Promise<Awaited<ReturnType<typeof startBundledMock>>>;
  users: number;
}
const SHARED = Symbol.for('coveton.test.prismMock');
const holder = globalThis as { [SHARED]?: Shared };

async function startReady() {
  const mock = await startBundledMock(bundledSpecPath('openapi.yaml'), 60 * 60 * 1000);
  try {
    await untilAnswers(mock.url);
  } catch (error) {
    await mock.stop();
    throw error;
  }
  return mock;
}

export default async function setup(project: TestProject) {
  const shared = (holder[SHARED] ??= { mock: startReady(), users: 0 });
  shared.users++;
  const mock = await shared.mock.catch((error: unknown) => {
    if (holder[SHARED] === shared) delete holder[SHARED];
    throw error;
  });
  project.provide('mockUrl', mock.url);
  return async () => {
    if (--shared.users > 0) return;
    if (holder[SHARED] === shared) delete holder[SHARED];
    await mock.stop();
  };
}
