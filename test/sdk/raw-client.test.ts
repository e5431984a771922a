// The raw client (`coveton.GET(...)`) keeps the resource methods' rules: the operation's body
// rule, refused before anything is sent. Runs on both transports (fetch and undici).
import { describe, expect, it } from 'vitest';
import { CovetonInputError } from '../../src/index.js';
import { json, serverFixture } from '../support/fault-server.js';
import { apiKeyBody, testClient } from '../support/client.js';

const { serve } = serverFixture();

/** What a call ended with: a refusal's class, field and message, or the status it got. */
const outcome = (call: Promise<{ response: Response }>) =>
  call.then(
    (r) => `status ${r.response.status}`,
    (e: CovetonInputError) => `${e.name} ${e.field}: ${e.message}`,
  );

describe('the operation\'s body rule, as the resource methods keep it', () => {
  it('a body for an operation without one, or none for one that requires it: refused, nothing sent, nothing retried', async () => {
    const server = await serve((req, res) => json(res, 200, []));
    const retries: number[] = [];
    const coveton = testClient(server.url, { hooks: { onRetry: (e) => void retries.push(e.attempt) } });
    const raw = coveton as unknown as Record<'GET' | 'POST' | 'DELETE', (path: string, init?: unknown) => Promise<{ response: Response }>>;
    // fetch refuses a GET with a body (a TypeError, which was taken for a network failure and
    // retried twice); undici sent it.
    expect(await outcome(raw.GET('/api-keys', { body: { a: 1 } }))).toBe('CovetonInputError body: body: is not taken by GET /api-keys');
    expect(await outcome(raw.DELETE('/api-keys/{id}', { params: { path: { id: 'k' } }, body: '' }))).toBe('CovetonInputError body: body: is not taken by DELETE /api-keys/{id}');
    expect(await outcome(raw.POST('/api-keys', {}))).toBe('CovetonInputError POST /api-keys(body): POST /api-keys(body): is required');
    expect(await outcome(raw.POST('/api-keys', { body: null }))).toBe('CovetonInputError POST /api-keys(body): POST /api-keys(body): is required');
    // A required query, and a query that is no object, as the resource methods refuse them.
    expect(await outcome(raw.GET('/users/search', {}))).toBe('CovetonInputError GET /users/search(query): GET /users/search(query): is required');
    expect(await outcome(raw.GET('/api-keys', { params: { query: 'limit=2' } }))).toBe('CovetonInputError GET /api-keys(query): GET /api-keys(query): must be an object of query parameters');
    // The same rule as the resource method's (called in a `then`: whether it throws or rejects is not this test's subject).
    await expect(Promise.resolve().then(() => coveton.apiKeys.create(undefined as never))).rejects.toThrow('apiKeys.create(body): is required');
    expect(server.requests).toHaveLength(0);
    expect(retries).toEqual([]);
    // What the operation takes still goes.
    expect(await outcome(raw.GET('/api-keys', { body: undefined }))).toBe('status 200');
    expect(await outcome(raw.POST('/api-keys', { body: apiKeyBody }))).toBe('status 200');
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual(['GET /api-keys ', `POST /api-keys ${JSON.stringify(apiKeyBody)}`]);
  });
});
