// One Prism mock for the whole suite, on the bundled spec; its URL reaches tests through inject('mockUrl').
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs module without types
import { startMock } from '../../scripts/lib/mock-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startMock({ errors: true });
  project.provide('mockUrl', mock.url);
  return async () => {
    await mock.stop();
  };
}
