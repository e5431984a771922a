// One Prism mock for the integration projects, on the bundled spec, started the way `coveton
// mock` starts it (so it stops when the test run ends); its URL reaches tests through
// prismMock() (test/support/prism-mock.ts). Ready means it answered an HTTP request, not that
// its port accepted a connection: Prism opens the port before it can serve, and a test that ran
// in between saw "Prism did not answer".
import type { TestProject } from 'vitest/node';
import { freePort, startBundledMock, type RunningPrism } from '../../src/tools/prism.js';
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
 * The setup does not wait for Prism to answer: the files run meanwhile, and the four that use
 * the mock wait in their beforeAll (test/support/prism-mock.ts).
 */
interface Shared {
  url: string;
  mock: Promise<RunningPrism>;
  users: number;
}
const SHARED = Symbol.for('coveton.test.prismMock');
const holder = globalThis as { [SHARED]?: Shared };

async function startShared(): Promise<Shared> {
  const port = await freePort();
  const mock = startBundledMock(bundledSpecPath('openapi.yaml'), 60 * 60 * 1000, port);
  mock.catch(() => {}); // a failed start is reported by the teardown, and by the files that wait
  return { url: `http://127.0.0.1:${port}`, mock, users: 0 };
}

export default async function setup(project: TestProject) {
  // Vitest runs the projects' setups one after the other: the first starts it.
  const shared = (holder[SHARED] ??= await startShared());
  shared.users++;
  project.provide('mockUrl', shared.url);
  return async () => {
    if (--shared.users > 0) return;
    if (holder[SHARED] === shared) delete holder[SHARED];
    const mock = await shared.mock; // throws how the start failed, if it did
    await mock.stop();
  };
}
