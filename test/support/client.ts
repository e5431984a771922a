import { createCoveton as viaFetch } from '../../src/index.js';
import { createCoveton as viaUndici } from '../../src/index.node.js';
import type { CovetonOptions } from '../../src/public/options.js';

/** Which bottom hop the behaviour suites run on: the vitest project sets it (vitest.config.ts). */
export const TRANSPORT: 'fetch' | 'undici' = process.env.COVETON_TEST_TRANSPORT === 'undici' ? 'undici' : 'fetch';

/** `createCoveton` of the entry under test: src/index.ts (fetch) or src/index.node.ts (undici). */
export const createCoveton = TRANSPORT === 'undici' ? viaUndici : viaFetch;

export const TEST_KEY = 'ak_test_SECRETsecretSECRET1234567890';

/** A client for fault-server tests: fast backoff, no logs, the test key. */
export function testClient(baseUrl: string, options: CovetonOptions = {}) {
  return createCoveton({
    baseUrl,
    apiKey: TEST_KEY,
    logLevel: 'off',
    backoff: { initialDelay: 5, maxDelay: 20, jitter: 0 },
    ...options,
  });
}

export const apiKeyBody = { name: 'CI Pipeline', type: 'service', environment: 'sandbox' } as const;

export const apiKeyRecord = {
  id: 'key_01HZX3K8W2Q9',
  name: 'CI Pipeline',
  description: null,
  type: 'service',
  environment: 'sandbox',
  permissions: ['*'],
  allowedIps: [],
  status: 'active',
  statusReason: null,
  keyPrefix: 'ak_test_Mdi9ewW3',
  createdAt: '2026-06-01T09:30:00Z',
  lastUsedAt: null,
  expiresAt: null,
};
