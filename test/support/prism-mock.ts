// The suite's Prism mock (started by test/support/global-setup.ts, which does not wait for it) as
// a test file uses it: its URL, and a beforeAll that waits until it answers HTTP.
import { beforeAll, inject } from 'vitest';
import { untilAnswers } from './global-setup.js';

/** The mock's URL; the file's tests start once it answers (Prism takes some seconds to start). */
export function prismMock(): string {
  const url = inject('mockUrl');
  beforeAll(() => untilAnswers(url, 60_000), 70_000);
  return url;
}
