// An API error's `headers`, which an `onRetry` hook gets as `cause.headers`. Found by a hostile
// review (#11): a credential a server or proxy echoed in a response header reached the hook
// whole, though "hooks never see a secret". The one error builder (from-response.ts) now hides
// every known secret in the header values; the rest stays as sent (a Link with its query).
import { describe, expect, it } from 'vitest';
import { APIError } from '../../src/index.js';
import { apiError, serverFixture } from '../support/fault-server.js';
import { TEST_KEY, testClient } from '../support/client.js';

const { serve } = serverFixture();

describe('the headers of an API error', () => {
  it('an echoed credential is hidden from onRetry\'s cause.headers and from the thrown error; other values stay as sent', async () => {
    const server = await serve((req, res) =>
      apiError(res, 503, 'INTERNAL', 'busy', {}, { 'X-Echo': String(req.headers.authorization), Link: '<https://api.test/api-keys?cursor=abc&limit=5>; rel="next"', 'X-Request-Id': 'req_1' }),
    );
    const seen: Headers[] = [];
    const coveton = testClient(server.url, { maxRetries: 1, backoff: { initialDelay: 1, maxDelay: 2, jitter: 0 }, hooks: { onRetry: (e) => void seen.push((e.cause as APIError).headers) } });
    const error = (await coveton.apiKeys.get('k').catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(seen).toHaveLength(1);
    for (const headers of [seen[0]!, error.headers]) {
      expect(headers.get('x-echo')).toBe('Bearer [REDACTED]');
      expect(headers.get('link')).toBe('<https://api.test/api-keys?cursor=abc&limit=5>; rel="next"');
      expect(headers.get('x-request-id')).toBe('req_1');
      expect(JSON.stringify([...headers])).not.toContain(TEST_KEY);
    }
  });
});
