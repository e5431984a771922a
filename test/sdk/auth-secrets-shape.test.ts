// A caller's authenticator whose `secrets()` is not the array its type asks for (plain JS, or an
// `as any`). Found by a hostile review (#2): a string was spread into its characters, each too
// short for the redaction to hide, so the secret went out whole in the error, its inspect(),
// the retry log line and the hook events. One string is now one secret; any other shape is a
// CovetonInputError that never holds what was returned.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CovetonInputError, type Authenticator, type Hooks } from '../../src/index.js';
import { apiError, serverFixture } from '../support/fault-server.js';
import { createCoveton } from '../support/client.js';

const { serve } = serverFixture();
const SECRET = 'sig-secret-0123456789abcdef';
const quick = { backoff: { initialDelay: 1, maxDelay: 2, jitter: 0 } };
const signing = (secrets: () => unknown): Authenticator => ({
  authenticate: (request) => void (request.headers['x-client-secret'] = SECRET),
  secrets: secrets as Authenticator['secrets'],
});

describe('secrets() of a caller\'s authenticator', () => {
  it('one string is one secret: redacted from the error, inspect, the retry log line and the hook events', async () => {
    const server = await serve((req, res) =>
      apiError(res, 503, 'INTERNAL', `busy ${req.headers['x-client-secret']}`, {}, { 'X-Request-Id': `id-${req.headers['x-client-secret']}` }),
    );
    const lines: string[] = [];
    const push = (...a: unknown[]) => void lines.push(JSON.stringify(a));
    const events: unknown[] = [];
    const hooks: Hooks = { onResponse: (e) => void events.push(e.requestId), onRetry: (e) => void events.push(e.cause.message) };
    const coveton = createCoveton({ baseUrl: server.url, ...quick, maxRetries: 1, logger: { debug: push, info: push, warn: push, error: push }, logLevel: 'debug', hooks, auth: signing(() => SECRET) });
    const error = (await coveton.apiKeys.get('k').catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InternalServerError');
    expect(server.requests).toHaveLength(2);
    expect(lines.some((line) => line.includes('retrying'))).toBe(true);
    expect(events).toHaveLength(3);
    const shown = [error.message, inspect(error), JSON.stringify(error), ...lines, JSON.stringify(events)].join('\n');
    expect(shown).toContain('[REDACTED]');
    expect(shown).not.toContain(SECRET);
  });

  it('any other shape is refused as a CovetonInputError naming auth, never the value', async () => {
    const server = await serve((req, res) => apiError(res, 400, 'BAD_REQUEST', `got ${req.headers['x-client-secret']}`));
    for (const shape of [() => 12345678, () => new Set([SECRET]), () => [SECRET, 12345678], () => ({ secret: SECRET })]) {
      const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', auth: signing(shape) });
      const error = (await coveton.apiKeys.get('k').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(CovetonInputError);
      expect(error.message).toBe('auth: secrets() must return an array of strings, none of 1-3 characters');
      expect(inspect(error)).not.toContain(SECRET);
    }
  });

  // Review of b36f42d: a secret under 4 characters is not redacted (it would turn common letters
  // of every message into [REDACTED]), so it went out whole where the server echoed it.
  it('a secret of 1 to 3 characters fails the call that would show it, as a CovetonInputError that never holds it; an empty one is none', async () => {
    const server = await serve((req, res) => apiError(res, 400, 'BAD_REQUEST', `got ${req.headers['x-client-secret'] ?? req.headers.authorization}`, {}, { 'X-Request-Id': 'req-Zq9' }));
    const made: [string, Parameters<typeof createCoveton>[0]][] = [
      ['one string', { auth: { authenticate: (r) => void (r.headers['x-client-secret'] = 'Zq9'), secrets: (() => 'Zq9') as unknown as Authenticator['secrets'] } }],
      ['in the array', { auth: { authenticate: (r) => void (r.headers['x-client-secret'] = 'Zq9'), secrets: () => ['', 'Zq9'] } }],
      ['an API key', { apiKey: 'Zq9' }],
    ];
    for (const [how, options] of made) {
      const events: unknown[] = [];
      const coveton = createCoveton({ baseUrl: server.url, logLevel: 'off', ...options, hooks: { onResponse: (e) => void events.push(e) } });
      const error = (await coveton.apiKeys.get('k').catch((e: unknown) => e)) as Error;
      expect(error, how).toBeInstanceOf(CovetonInputError);
      expect(error.message, how).toBe('auth: secrets() must return an array of strings, none of 1-3 characters');
      expect([inspect(error), JSON.stringify(error), inspect(events, { depth: 9 })].join(), how).not.toContain('Zq9');
    }
    // An empty string is no secret (a token not there yet): the call goes on, its error redacted as ever.
    const empty = createCoveton({ baseUrl: server.url, logLevel: 'off', auth: signing(() => ['', SECRET]) });
    await expect(empty.apiKeys.get('k')).rejects.toMatchObject({ name: 'BadRequestError', message: expect.stringContaining('got [REDACTED]') });
  });
});
