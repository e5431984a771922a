// A presigned URL's query carries its credential and signature: for the transfer that holds it,
// the SDK treats their values as secrets, as it does the API key. Found by a hostile-server
// review: storage echoing X-Amz-Signature (or the bare signature) in its error envelope put it
// in the error's message, toJSON() and util.inspect, and in onRetry's cause.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { APIError, type RetryEvent } from '../../src/index.js';
import { json, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { testClient } from '../support/client.js';

let server: FaultServer;
afterEach(() => server?.close());

const CREDENTIAL = 'AKIAIOSFODNN7EXAMPLE/20261207/us-east-1/s3/aws4_request';
const sig = (n: number) => `f00dfacecafe0123456789abcdef0123456789abcdef0123456789abcdef999${n}`;

/** Storage answers `statuses` in turn (then 200), each error echoing the query it was sent, decoded and as sent. */
async function echoing(statuses: number[]) {
  let presigns = 0;
  server = await startFaultServer((req, res) => {
    if (req.path.startsWith('/files/')) {
      presigns++;
      const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(CREDENTIAL)}&X-Amz-Signature=${sig(presigns)}`;
      return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?${query}`, expiresIn: 300, size: 3, contentType: 'application/octet-stream', filename: 'x' });
    }
    const status = statuses.shift();
    if (status === undefined) return void res.writeHead(200, { 'Content-Length': '3' }).end('abc');
    const params = new URL(req.path, 'http://x').searchParams;
    const raw = req.path.split('?')[1];
    json(res, status, { error: { code: 'FORBIDDEN', message: `SignatureDoesNotMatch. Query was: ${raw}. Credential ${params.get('X-Amz-Credential')}, provided signature ${params.get('X-Amz-Signature')}`, requestId: 'req_1' } });
  });
}

const leaks = (text: string) => [CREDENTIAL, encodeURIComponent(CREDENTIAL), 'AKIAIOSFODNN7EXAMPLE', sig(1), sig(2)].filter((secret) => text.includes(secret));

describe('the secrets of a presigned URL', () => {
  it('storage echoing them in its 403 (after the URL was presigned again): not in the message, toJSON or inspect', async () => {
    await echoing([403, 403]);
    const error = (await testClient(server.url).files.download('file_1').catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(403);
    expect(leaks([error.message, JSON.stringify(error), inspect(error)].join('\n'))).toEqual([]);
    expect(error.message).toContain('provided signature [REDACTED]');
    expect(server.requests.filter((r) => r.path.startsWith('/storage/'))).toHaveLength(2);
  });

  it('storage echoing them in a 503 that is retried: not in onRetry\'s cause nor the retry log', async () => {
    await echoing([503]);
    const causes: string[] = [];
    const lines: string[] = [];
    const logger = { debug: () => {}, info: (...a: unknown[]) => lines.push(JSON.stringify(a)), warn: () => {}, error: () => {} };
    const coveton = testClient(server.url, { logLevel: 'info', logger, hooks: { onRetry: (e: RetryEvent) => void causes.push(e.cause.message) } });
    expect(new TextDecoder().decode(await coveton.files.download('file_1'))).toBe('abc');
    expect(causes).toHaveLength(1);
    expect(causes[0]).toContain('provided signature [REDACTED]');
    expect(leaks([...causes, ...lines].join('\n'))).toEqual([]);
  });

  it('storage echoing the signature in its x-request-id: not in the debug line of the attempt', async () => {
    // Found by a second review: the attempt's debug line was redacted with the client's secrets
    // only, not the transfer's own.
    let presigns = 0;
    server = await startFaultServer((req, res) => {
      if (req.path.startsWith('/files/')) {
        presigns++;
        return json(res, 200, { fileId: 'file_1', url: `${server.url}/storage/file_1?X-Amz-Signature=${sig(presigns)}`, expiresIn: 300, size: 3, contentType: 'application/octet-stream', filename: 'x' });
      }
      if (presigns === 1 && server.requests.filter((r) => r.path.startsWith('/storage/')).length === 1) return void res.writeHead(500, { 'x-request-id': `req-${sig(1)}`, 'content-length': '0' }).end();
      res.writeHead(200, { 'Content-Length': '3' }).end('abc');
    });
    const lines: string[] = [];
    const record = (...a: unknown[]) => void lines.push(JSON.stringify(a));
    const coveton = testClient(server.url, { logLevel: 'debug', logger: { debug: record, info: record, warn: record, error: record } });
    expect(new TextDecoder().decode(await coveton.files.download('file_1'))).toBe('abc');
    expect(lines.some((l) => l.includes('"requestId":"req-[REDACTED]"'))).toBe(true);
    expect(leaks(lines.join('\n'))).toEqual([]);
  });
});
