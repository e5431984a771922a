// The bench's HTTP server, run in its own process so that its work does not share the
// client's thread. Keep-alive, fixed small JSON bodies, rate-limit headers with a budget so
// large that the SDK's limiter never waits. Prints {"port":N} on its first line of stdout and
// exits when its stdin closes (the parent went away).
//
//   GET  /api-keys/key_1              200, one ApiKey (about 330 bytes)
//   POST /api-keys                    201, the ApiKey with its secret
//   GET  /chats/chat_1/messages       a page of a 100,000-message chat, newest first
//                                     (limit, before=msg_NNNNNN), built on the fly
//   GET  /__cpu                       this process's CPU time so far, µs (for busy figures)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const TOTAL_MESSAGES = 100_000;

const API_KEY = {
  id: 'key_1',
  name: 'CI Pipeline',
  description: null,
  environment: 'sandbox',
  type: 'service',
  status: 'active',
  statusReason: null,
  keyPrefix: 'ak_test_Mdi9ewW3',
  permissions: ['*'],
  allowedIps: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
};
const GET_BODY = Buffer.from(JSON.stringify(API_KEY));
const POST_BODY = Buffer.from(JSON.stringify({ ...API_KEY, id: 'key_2', secret: 'ak_test_Mdi9ewW3abcdefghijklmnop' }));

// X-RateLimit-Reset moves once a second; the header arrays are rebuilt then, not per request.
let reset = 0;
let jsonHeaders = [];
function headersFor(length) {
  const now = Math.floor(Date.now() / 1000) + 60;
  if (now !== reset) {
    reset = now;
    jsonHeaders = [
      'Content-Type', 'application/json',
      'X-RateLimit-Limit', '1000000000',
      'X-RateLimit-Remaining', '999999999',
      'X-RateLimit-Reset', String(reset),
    ];
  }
  return [...jsonHeaders, 'Content-Length', String(length)];
}

const pad = (n) => String(n).padStart(6, '0');

/** Messages numbered TOTAL..1, newest first; `before` = msg_N gives N-1 downwards. */
function messagePage(query) {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 100);
  const before = query.get('before');
  const top = before ? Number(before.slice(4)) - 1 : TOTAL_MESSAGES;
  const parts = [];
  for (let n = top; n > 0 && n > top - limit; n--) {
    parts.push(
      `{"id":"msg_${pad(n)}","chatId":"chat_1","senderId":"usr_4AdaL9xQ","senderDeviceId":"dev_a1Xk93",` +
        `"ciphertext":"QkFTRTY0X09QQVFVRV9DSVBIRVJURVhU","contentType":"text/plain",` +
        `"createdAt":"2025-01-01T00:00:00.000Z","editedAt":null,"expiresAt":null,"envelopes":[],"fileIds":[],"reactions":[]}`,
    );
  }
  return Buffer.from(`[${parts.join(',')}]`);
}

function send(res, status, body) {
  res.writeHead(status, headersFor(body.length));
  res.end(body);
}

export function startServer(port = 0) {
  const server = createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
    const { method, url } = req;
    if (method === 'GET' && url === '/api-keys/key_1') return send(res, 200, GET_BODY);
    if (method === 'POST' && url === '/api-keys') {
      req.on('data', () => {});
      req.on('end', () => send(res, 201, POST_BODY));
      return;
    }
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (method === 'GET' && path === '/chats/chat_1/messages') {
      return send(res, 200, messagePage(new URLSearchParams(q === -1 ? '' : url.slice(q + 1))));
    }
    if (method === 'GET' && path === '/__cpu') {
      const { user, system } = process.cpuUsage();
      return send(res, 200, Buffer.from(JSON.stringify({ cpu: user + system })));
    }
    send(res, 404, Buffer.from('{"error":{"code":"not_found","message":"no such route"}}'));
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.maxRequestsPerSocket = 0;
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startServer();
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
}
