// COVETON_LOG=debug (logLevel 'debug'): one line per attempt with the method, the URL without
// its query, the status, the request id, the time, and what the retry policy decided.
import { describe, expect, it } from 'vitest';
import { apiError, type FaultServer, json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, TEST_KEY, testClient } from '../support/client.js';
import type { Logger } from '../../src/public/logger.js';

const { serve } = serverFixture();
let server: FaultServer | undefined;

function capture() {
  const lines: { message: string; data: Record<string, unknown> }[] = [];
  const push = (message: string, data?: Record<string, unknown>) => lines.push({ message, data: data ?? {} });
  const logger: Logger = { debug: push, info: () => {}, warn: () => {}, error: () => {} };
  return { lines, logger };
}

describe('debug log', () => {
  it('prints one line per attempt with status, request id, time and the decision', async () => {
    server = await serve((req, res, index) => {
      if (index === 0) return apiError(res, 503, 'INTERNAL', 'busy', {}, { 'x-request-id': 'req_first' });
      return json(res, 200, apiKeyRecord, { 'x-request-id': `req_second_${TEST_KEY}` });
    });
    const { lines, logger } = capture();
    const coveton = testClient(server.url, { logger, logLevel: 'debug' });
    await coveton.apiKeys.get('key_1', { headers: { 'x-trace': 'a' } });
    const attempts = lines.filter((l) => l.message.endsWith('attempt'));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.data).toMatchObject({ method: 'GET', attempt: 1, status: 503, requestId: 'req_first', decision: 'retry', delay: 5 });
    expect(attempts[1]!.data).toMatchObject({ method: 'GET', attempt: 2, status: 200, decision: 'done' });
    expect(String(attempts[0]!.data.url)).toMatch(/\/api-keys\/key_1$/);
    expect(typeof attempts[1]!.data.ms).toBe('number');
    // A request id that echoes a secret is redacted like everything else.
    expect(JSON.stringify(lines)).not.toContain(TEST_KEY);
  });

  it('says why a call stops: a 409 is not retried', async () => {
    server = await serve((req, res) => apiError(res, 409, 'CONFLICT', 'revoked'));
    const { lines, logger } = capture();
    const coveton = testClient(server.url, { logger, logLevel: 'debug' });
    await expect(coveton.apiKeys.get('key_1')).rejects.toThrow();
    expect(lines.filter((l) => l.message.endsWith('attempt')).map((l) => [l.data.status, l.data.decision])).toEqual([[409, 'stop']]);
  });
});
