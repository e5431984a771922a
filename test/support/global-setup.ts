// One Prism mock for the whole suite, on the bundled spec, started the way `coveton mock`
// starts it (so it stops when the test run ends); its URL reaches tests through inject('mockUrl').
import type { TestProject } from 'vitest/node';
import { startBundledMock } from '../../src/cli/prism.js';
import { bundledSpecPath } from '../../src/cli/spec-files.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mock = await startBundledMock(bundledSpecPath('openapi.yaml'), 60 * 60 * 1000);
  project.provide('mockUrl', mock.url);
  return () => mock.stop();
}
