// Renewals are decided by the retry policy and run by the pipeline: the resend after a 401
// `token_expired` waits for the shared refresh under the call's deadline and signal.
import { afterEach, describe, expect, it } from 'vitest';
import { APITimeoutError } from '../../src/index.js';
import { startAuthServer, type AuthServer } from '../support/auth-server.js';
import { createCoveton } from '../support/client.js';

let server: AuthServer;
afterEach(() => server?.close());

describe('renewals', () => {
  it('the wait for a refresh after a 401 token_expired ends at the deadline', async () => {
    server = await startAuthServer({ opaque: true });
    server.refreshDelay.ms = 2000;
    const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', refreshMargin: 0, deadline: 300, ...server.issue({ opaque: true, expired: true }) });
    const started = Date.now();
    const error = await coveton.users.getCurrent().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).kind).toBe('deadline');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.refreshes).toHaveLength(1);
  });
});
