// Redaction runs on server text, which is hostile: it must stay linear and bounded. The figures
// printed here are the time to redact 1 MB of each shape that used to be quadratic (a few ms
// each on a quiet machine). The bounds sit far above them and far below what quadratic work
// costs (minutes on 1 MB): a loaded CI runner once took over 100 ms, and that was no regression.
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/index.js';
import { hideShapes, MAX_REDACTED_CHARS, redact, REDACTED } from '../../src/util/redact.js';
import { apiError, type FaultServer, serverFixture } from '../support/fault-server.js';
import { TEST_KEY, testClient } from '../support/client.js';

const MB = 1024 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

// Each one made a pattern fail after scanning the rest of the text, from every start position.
const HOSTILE: Record<string, string> = {
  'JWT prefixes': fill('eyJ-'),
  'URLs without a query': fill('http://'),
  'bearer and spaces': fill('Bearer     '),
  'key prefixes': fill('ak_test_'),
  'query names': fill('?token=&'),
};

const time = (f: () => unknown) => {
  const start = performance.now();
  f();
  return performance.now() - start;
};

const { serve } = serverFixture();
let server: FaultServer | undefined;

describe('redaction of hostile text', () => {
  it('redacts 1 MB of each hostile shape in well under a second, keeping a few KB', () => {
    for (const [name, text] of Object.entries(HOSTILE)) {
      redact(text); // warm up the regexp compiler
      let out = '';
      const ms = time(() => (out = redact(text, [TEST_KEY, 'rt_knownRefreshToken'])));
      console.log(`redact 1 MB of ${name}: ${ms.toFixed(2)} ms`);
      expect(ms, name).toBeLessThan(1000);
      expect(out.length, name).toBeLessThan(3 * MAX_REDACTED_CHARS); // a replacement may be longer than what it hides
      expect(out, name).toMatch(/characters dropped\]$/);
    }
  });

  it('the patterns alone are linear: 1 MB of each shape, unbounded, in a few seconds at most', () => {
    for (const [name, text] of Object.entries(HOSTILE)) {
      const ms = time(() => hideShapes(text));
      console.log(`pattern pass over 1 MB of ${name}: ${ms.toFixed(2)} ms`);
      // The quadratic patterns took 150-250 ms on 32 KB, i.e. minutes on 1 MB.
      expect(ms, name).toBeLessThan(5000);
    }
  });

  it('still hides every shape it hid before', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl';
    const text = `k=ak_live_abcDEF123 t=${jwt} rt_abcdefghijklmnopqrst Authorization: Bearer s3cr3t, https://s.example/f?X-Signature=abc&x=1 /cb?code=123`;
    const out = redact(text);
    for (const secret of ['ak_live_abcDEF123', jwt, 'rt_abcdefghijklmnopqrst', 's3cr3t', 'X-Signature=abc', 'code=123']) expect(out).not.toContain(secret);
    expect(out).toContain(`Bearer ${REDACTED}`);
    expect(out).toContain(`https://s.example/f?${REDACTED}`);
    expect(out).toContain(`/cb?code=${REDACTED}`);
    // Runs that only look like the start of one are left alone.
    expect(redact('eyJ-not-a-token and http://example.com/path')).toBe('eyJ-not-a-token and http://example.com/path');
  });

  it("leaves a placeholder after Bearer alone: the API's own hint reads whole", () => {
    // The mock's 401 credentials_missing and token_invalid messages (src/mock/credentials.ts).
    for (const hint of ['No credential: send `Authorization: Bearer <access token or API key>` or `X-API-Key: <key>`.', 'The Authorization header must be `Bearer <token>`.']) {
      expect(redact(hint)).toBe(hint);
    }
    expect(redact('Authorization: Bearer s3cr3t<x>')).toBe(`Authorization: Bearer ${REDACTED}<x>`);
  });

  it('never leaves half a secret at the cut', () => {
    const pad = 'x '.repeat((MAX_REDACTED_CHARS - 20) / 2);
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.${'s'.repeat(200)}`;
    const out = redact(`${pad}${jwt} tail`);
    expect(out).not.toContain('eyJhbG');
    expect(out.startsWith(pad)).toBe(true);
    // A known secret that straddles the cut is replaced before the cut is made.
    const custom = 'opaque-session-token-0123456789';
    expect(redact(`${'y'.repeat(MAX_REDACTED_CHARS - 10)}${custom}${'z'.repeat(100)}`, [custom])).not.toContain('opaque-ses');
  });

  it('a 1 MB hostile error message from the server becomes a bounded, redacted error', async () => {
    const hostile = `${TEST_KEY} ${fill('eyJ-').slice(0, MB / 2)}${fill('http://').slice(0, MB / 2)}`;
    server = await serve((req, res) => apiError(res, 400, 'INVALID_REQUEST', hostile));
    const started = performance.now();
    const error = await testClient(server.url).apiKeys.get('key_1').catch((e: unknown) => e);
    console.log(`1 MB error message end to end: ${(performance.now() - started).toFixed(1)} ms`);
    expect(error).toBeInstanceOf(BadRequestError);
    const message = (error as Error).message;
    expect(message.length).toBeLessThan(MAX_REDACTED_CHARS + 200);
    expect(message).not.toContain(TEST_KEY);
    expect(JSON.stringify(error)).not.toContain(TEST_KEY);
    expect(server.requests).toHaveLength(1);
  });
});
