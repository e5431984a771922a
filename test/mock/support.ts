// The stateful mock started in-process for a test file, and SDK clients on it. Every test file
// asserts at the end that the mock never answered outside the contract.
import { afterAll, beforeAll, expect } from 'vitest';
import { createCoveton } from '../../src/index.js';
import { startMock, type MockOptions, type RunningMock } from '../../src/mock/index.js';
import type { CovetonOptions } from '../../src/public/options.js';

export const ADA = { email: 'ada@example.com', password: 'a-strong-passphrase' };

/** Starts one mock for the file (before its tests), checks it broke no rule, and stops it. */
export function useMock(options: MockOptions = {}): () => RunningMock {
  let mock: RunningMock | undefined;
  beforeAll(async () => {
    mock = await startMock(options);
  }, 30_000);
  afterAll(async () => {
    if (!mock) return;
    const broken = [...mock.violations];
    await mock.close();
    expect(broken, 'answers of the mock that broke the contract').toEqual([]);
  });
  return () => mock!;
}

export function client(mock: RunningMock, options: CovetonOptions = {}) {
  return createCoveton({ baseUrl: mock.url, logLevel: 'off', backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 }, ...options });
}

/** A client signed in as the seeded user. */
export async function signedIn(mock: RunningMock, options: CovetonOptions = {}) {
  const c = client(mock, options);
  await c.session.login(ADA);
  return c;
}

/** Every item of an SDK list. */
export async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}
