// A caller's authenticator that throws (a vault that refuses, a bug in a signer). Found by a
// hostile review (#5): its error reached the caller as it was thrown, no CovetonError (so the
// documented `catch (e) { if (e instanceof CovetonError) }` missed it) and with the secret it
// declared in its message, and `onResponse` said neither a status nor an error. It is now an
// AuthenticatorError, its message redacted, the thrown value not kept; onResponse reports it.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthenticatorError, CovetonError, ForbiddenError, SessionExpiredError, type Authenticator } from '../../src/index.js';
import { apiError, json, serverFixture } from '../support/fault-server.js';
import { apiKeyRecord, createCoveton } from '../support/client.js';

const { serve } = serverFixture();
const SECRET = 'sig-secret-0123456789abcdef';
const quick = { logLevel: 'off' as const, backoff: { initialDelay: 1, maxDelay: 2, jitter: 0 } };

async function failed(auth: Authenticator, handler = (_req: unknown, res: Parameters<typeof json>[0]) => json(res, 200, apiKeyRecord)) {
  const server = await serve(handler);
  const events: string[] = [];
  const coveton = createCoveton({ baseUrl: server.url, ...quick, auth, hooks: { onResponse: (e) => void events.push(`status=${e.status} error=${e.error?.name}`) } });
  const error = (await coveton.apiKeys.get('k').catch((e: unknown) => e)) as Error;
  return { error, events, requests: server.requests };
}

describe('an authenticator that throws', () => {
  for (const [how, authenticate] of [
    ['rejects', async () => Promise.reject(new Error(`vault refused token ${SECRET}`))],
    ['throws', () => { throw new TypeError(`vault refused token ${SECRET}`); }],
  ] as const) {
    it(`${how}: an AuthenticatorError, redacted, reported to onResponse, nothing sent`, async () => {
      const { error, events, requests } = await failed({ authenticate, secrets: () => [SECRET] });
      expect(error).toBeInstanceOf(AuthenticatorError);
      expect(error).toBeInstanceOf(CovetonError);
      expect(error.message).toBe(`The authenticator failed: ${how === 'throws' ? 'TypeError' : 'Error'}: vault refused token [REDACTED]`);
      expect(error.cause).toBeUndefined();
      expect([inspect(error), JSON.stringify(error)].join()).not.toContain(SECRET);
      expect(events).toEqual(['status=undefined error=AuthenticatorError']);
      expect(requests).toHaveLength(0);
    });
  }

  it('a thrown non-Error is named by its type only', async () => {
    const { error } = await failed({ authenticate: () => { throw SECRET; }, secrets: () => [] });
    expect(error).toBeInstanceOf(AuthenticatorError);
    expect(error.message).toBe('The authenticator failed: string');
  });

  // Hostile review M4: reading what was thrown threw in turn, and that second error (not a
  // CovetonError, the secret in its message) replaced the whole result; onResponse said nothing.
  for (const [how, make] of [
    ['a message getter that throws', () => Object.defineProperty(new Error('x'), 'message', { get() { throw new Error(`getter ${SECRET}`); } })],
    ['a name getter that throws', () => Object.defineProperty(new Error('x'), 'name', { get() { throw new Error(`name ${SECRET}`); } })],
    ['a Proxy whose every trap throws', () => new Proxy({}, { get() { throw new Error(`get ${SECRET}`); }, getPrototypeOf() { throw new Error(`proto ${SECRET}`); } })],
  ] as const) {
    it(`${how}: an AuthenticatorError named by the type only, reported to onResponse`, async () => {
      const { error, events, requests } = await failed({ authenticate: () => { throw make(); }, secrets: () => [SECRET] });
      expect(error).toBeInstanceOf(AuthenticatorError);
      expect(error.message).toBe('The authenticator failed: object');
      expect([error.stack, inspect(error), JSON.stringify(error)].join()).not.toContain(SECRET);
      expect(events).toEqual(['status=undefined error=AuthenticatorError']);
      expect(requests).toHaveLength(0);
    });
  }

  it('a CovetonError it throws goes on as it is', async () => {
    const ended = new SessionExpiredError('gone', 'refresh_token_reused');
    const { error, events } = await failed({ authenticate: () => { throw ended; }, secrets: () => [] });
    expect(error).toBe(ended);
    expect(events).toEqual(['status=undefined error=SessionExpiredError']);
  });

  // Review of b36f42d: a CovetonError subclass went out as thrown, the declared secret in its message.
  it('a CovetonError subclass it throws keeps its class, with the secret redacted from its message, stack, fields and cause', async () => {
    class VaultError extends CovetonError {
      override name = 'VaultError';
      constructor(
        readonly token: string,
        readonly detail: { note: string; tried: string[] },
        options?: { cause?: unknown },
      ) {
        super(`vault refused ${token}`, options);
      }
    }
    const thrown = new VaultError(SECRET, { note: `seen ${SECRET}`, tried: [SECRET] }, { cause: new Error(`inner ${SECRET}`) });
    const { error, events, requests } = await failed({ authenticate: () => { throw thrown; }, secrets: () => [SECRET] });
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ name: 'VaultError', message: 'vault refused [REDACTED]', token: '[REDACTED]', detail: { note: 'seen [REDACTED]', tried: ['[REDACTED]'] } });
    expect((error.cause as Error).message).toBe('inner [REDACTED]');
    expect([error.stack, (error.cause as Error).stack, inspect(error, { depth: 9 }), JSON.stringify(error)].join()).not.toContain(SECRET);
    expect(events).toEqual(['status=undefined error=VaultError']);
    expect(requests).toHaveLength(0);
  });

  it("an APIError it rethrows (another API echoed the key in its message and a header): the same class, the secret gone from message, headers, toJSON and inspect", async () => {
    const vault = await serve((_req, res) => apiError(res, 403, 'FORBIDDEN', `refused ${SECRET}`, {}, { 'X-Echo': `key=${SECRET}` }));
    const other = createCoveton({ baseUrl: vault.url, ...quick, apiKey: 'ak_test_vaultVAULTvault0123456789' });
    let thrown: unknown;
    const { error } = await failed({ authenticate: async () => void (await other.apiKeys.get('k').catch((e: unknown) => Promise.reject((thrown = e)))), secrets: () => [SECRET] });
    expect(thrown).toBeInstanceOf(ForbiddenError);
    expect(error).toBe(thrown); // the same object, rewritten in place (from-response.ts scrub says why)
    const denied = error as ForbiddenError;
    expect(denied.message).toBe('403 FORBIDDEN on GET /api-keys/{id}: refused [REDACTED]');
    expect(denied.headers.get('x-echo')).toBe('key=[REDACTED]');
    expect(denied.headers.get('x-ratelimit-limit')).toBe('120'); // the other headers as sent
    expect([...denied.headers].join()).not.toContain(SECRET);
    expect([denied.stack, inspect(denied, { depth: 9 }), JSON.stringify(denied)].join()).not.toContain(SECRET);
  });

  it('renew that throws after a 401 token_expired: an AuthenticatorError, redacted; the request is not sent again', async () => {
    const auth: Authenticator = {
      authenticate: (request) => ((request.headers.authorization = 'Bearer app_token_1'), 'app_token_1'),
      renew: async () => { throw new Error(`could not renew app_token_1 with ${SECRET}`); },
      secrets: () => ['app_token_1', SECRET],
    };
    const { error, requests } = await failed(auth, (_req, res) => apiError(res, 401, 'UNAUTHORIZED', 'expired', { reason: 'token_expired' }));
    expect(error).toBeInstanceOf(AuthenticatorError);
    expect(error.message).toBe('The authenticator failed: Error: could not renew [REDACTED] with [REDACTED]');
    expect(requests).toHaveLength(1);
  });
});
