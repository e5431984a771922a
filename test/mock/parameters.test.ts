// Query parameters and headers are held to their schemas in the spec as sent: a parameter present
// with an empty value is not "absent", and an integer is plain decimal digits. Prism alone treats
// `limit=` as no limit and coerces `0x10`, ` 1` and `1e1` to numbers; the API refuses them, so the
// mock does too, with the 400 envelope naming the parameter.
import { describe, expect, it } from 'vitest';
import { SEED } from '../../src/mock/index.js';
import { httpClient } from './http.js';
import { ADA, useMock } from './support.js';

const mock = useMock({ rateLimit: false });
const { call, signIn } = httpClient(() => mock().url);
const token = async () => (await signIn({ id: SEED.userId, ...ADA })).accessToken;
/** The 400 naming `path`, with one detail per broken rule (`[text, rule]` pairs). */
const refusal = (path: string, ...broken: [string, string][]) => ({
  status: 400,
  code: 'BAD_REQUEST',
  details: broken.map(([text, rule]) => ({ path, message: `${path}: ${text} (rule: ${rule})` })),
});
const EMPTY_KEY = refusal('header.idempotency-key', ['must NOT have fewer than 1 characters', 'minLength'], ['must match pattern "^[!-~]+$"', 'pattern']);
const outcome = (a: Awaited<ReturnType<typeof call>>) => ({ status: a.status, code: a.body.error?.code, details: a.body.error?.details });

describe('parameters present with an empty or non-decimal value', () => {
  it('an empty `limit` or `before` is a 400 naming it, not an empty page or the first page', async () => {
    const t = await token();
    expect(outcome(await call('GET', '/api-keys?limit=', { token: t }))).toEqual(refusal('query.limit', ['must be integer', 'type']));
    expect(outcome(await call('GET', `/chats/${SEED.chatId}/messages?limit=`, { token: t }))).toEqual(refusal('query.limit', ['must be integer', 'type']));
    expect(outcome(await call('GET', '/api-keys?before=', { token: t }))).toEqual(refusal('query.before', ['must NOT have fewer than 1 characters', 'minLength']));
  });

  it('an integer parameter takes plain decimal digits only: 0x10, " 1", 1e1 and +5 are 400s; 07 is 7', async () => {
    const t = await token();
    for (const value of ['0x10', '%201', '1e1', '%2B5', '1%20']) {
      expect(outcome(await call('GET', `/api-keys?limit=${value}`, { token: t })), value).toEqual(refusal('query.limit', ['must be integer', 'type']));
    }
    const page = await call('GET', '/api-keys?limit=07', { token: t });
    expect(page.status).toBe(200);
    expect(outcome(await call('GET', '/api-keys?limit=101', { token: t }))).toEqual(refusal('query.limit', ['must be <= 100', 'maximum']));
    expect(outcome(await call('GET', '/api-keys?limit=1.5', { token: t }))).toEqual(refusal('query.limit', ['must be integer', 'type']));
  });

  it('a required parameter sent empty is named for its empty value, once', async () => {
    const t = await token();
    expect(outcome(await call('GET', '/users/search?q=', { token: t }))).toEqual(refusal('query.q', ['must NOT have fewer than 1 characters', 'minLength']));
  });

  it('an empty Idempotency-Key is a 400 and creates nothing', async () => {
    const t = await token();
    const list = async () => (await call('GET', `/teams?organizationId=${SEED.organizationId}`, { token: t })).body as unknown as unknown[];
    const before = (await list()).length;
    const post = (name: string) => call('POST', '/teams', { token: t, headers: { 'idempotency-key': '' }, body: { name, organizationId: SEED.organizationId } });
    expect(outcome(await post('Empty key one'))).toEqual(EMPTY_KEY);
    expect(outcome(await post('Empty key two'))).toEqual(EMPTY_KEY);
    expect(await list()).toHaveLength(before);
  });
});
