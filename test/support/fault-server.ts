// A scripted HTTP server on 127.0.0.1 for what a stateless mock cannot show: each request is
// recorded (method, path, headers, body) and answered by the test's handler, which may reply,
// stall, or drop the connection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach } from 'vitest';

// Captured at import, before any test fakes the clock: the guard below runs on real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes, for binary uploads. */
  raw: Buffer;
  at: number;
}

export type Handler = (req: Recorded, res: ServerResponse, index: number) => unknown;

export interface FaultServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'X-RateLimit-Limit': '120',
    'X-RateLimit-Remaining': '119',
    'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 60),
    ...headers,
  });
  res.end(text);
}

export function apiError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message, requestId: `req_${status}`, ...extra } }, headers);
}

/** Ends the TCP connection without an HTTP answer: the client sees a reset. */
export function drop(res: ServerResponse): void {
  (res.socket as Socket).destroy();
}

export async function startFaultServer(handler: Handler): Promise<FaultServer> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: Recorded = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      raw: Buffer.concat(chunks),
      at: Date.now(),
    };
    requests.push(recorded);
    try {
      await handler(recorded, res, requests.length - 1);
    } catch (error) {
      if (!res.headersSent) json(res, 599, { error: { code: 'INTERNAL', message: String(error) } });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Never outlive the test file, whatever happens to it.
  const guard = realSetTimeout(() => server.close(), 120_000);
  guard.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        realClearTimeout(guard);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The servers of one test file: `serve(handler)` starts one, `track(server)` adopts one started
 * elsewhere (the auth or files server), and every one is closed after each test (or, with
 * `'all'`, after the file: tests that run side by side, each with its own server).
 */
export function serverFixture(when: 'each' | 'all' = 'each') {
  const open = new Set<{ close(): Promise<void> }>();
  (when === 'each' ? afterEach : afterAll)(async () => {
    const all = [...open];
    open.clear();
    await Promise.all(all.map((server) => server.close()));
  });
  const track = <S extends { close(): Promise<void> }>(server: S): S => (open.add(server), server);
  return { serve: async (handler: Handler) => track(await startFaultServer(handler)), track };
}

/** `/api-keys/old` answers 302 to the path of `record` (an API key); every other path answers `record`. */
export function redirectsToKey(record: { id: string }): Handler {
  return (req, res) => {
    if (req.path !== '/api-keys/old') return json(res, 200, record);
    res.writeHead(302, { Location: `/api-keys/${record.id}` });
    res.end();
  };
}
