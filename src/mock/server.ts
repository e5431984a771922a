// The HTTP side of the stateful mock: CORS, the request id, the control endpoints under the
// reserved `/__mock/` prefix, presigned storage under `/__storage/`, and everything else through
// the API pipeline.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyCors, answerPreflight } from './cors.js';
import { requestId } from '../tools/ids.js';
import { runPipeline, type IncomingCall, type Pipeline } from './pipeline.js';
import { errorReply, type Reply } from './reply.js';

/** The largest API request body the mock reads (a message is at most 1 MiB of base64 plus envelopes). */
const MAX_API_BODY = 16 * 1024 * 1024;

export interface ServerHooks {
  pipeline: Pipeline;
  reset(): void;
  /** Extra answers under `/__mock/` (events, violations). */
  control(method: string, path: string): Reply | undefined;
  maxUploadBytes: number;
  log(line: string): void;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A 413 is sent before the body is read to its end: the connection is closed after it, or the
 * body's rest would be read as the next request on a kept-alive socket (the client's next call
 * failed with ECONNRESET).
 */
function tooLarge(res: ServerResponse, method: string, reply: Reply): void {
  send(res, method, { ...reply, headers: { ...reply.headers, 'content-type': 'application/json', connection: 'close' } });
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  const payload = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  res.writeHead(reply.status, { ...reply.headers, ...(payload ? { 'content-length': String(payload.length) } : {}) });
  res.end(method === 'HEAD' ? undefined : payload);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function createMockServer(hooks: ServerHooks, requests: RequestRecord[]): Server {
  const { pipeline } = hooks;
  const env = pipeline.env;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const id = requestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    // The API's paths live under /v1; the mock serves them at the root, and accepts the prefix
    // too so that the seeds' curl examples work with only the host changed.
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) url.pathname = url.pathname.slice(3) || '/';
    applyCors(req, res);
    res.setHeader('x-request-id', id);
    if (answerPreflight(req, res)) return 204;
    const headers = flatHeaders(req);

    if (url.pathname.startsWith('/__mock/')) {
      const path = url.pathname.slice('/__mock'.length);
      if (method === 'POST' && path === '/reset') {
        hooks.reset();
        send(res, method, { status: 204 });
        return 204;
      }
      const reply = hooks.control(method, path) ?? errorReply(404, `No mock control endpoint ${method} ${url.pathname} (try POST /__mock/reset).`, id);
      send(res, method, { ...reply, headers: { 'content-type': 'application/json' } });
      return reply.status;
    }

    if (url.pathname.startsWith('/__storage/')) {
      const body = await readBody(req, hooks.maxUploadBytes);
      if (!body) {
        tooLarge(res, method, errorReply(413, `The mock's storage takes uploads up to ${hooks.maxUploadBytes} bytes.`, id));
        return 413;
      }
      const answer = env.storage.handle(method, url, headers, body, (fileId) => {
        const file = env.store.get('files', fileId);
        return file ? { size: file.size, contentType: file.contentType } : undefined;
      });
      send(res, method, answer);
      return answer.status;
    }

    const matched = env.spec.match(method, url.pathname);
    if (!matched || 'allowed' in matched) {
      const reply = matched
        ? errorReply(405, `${method} is not an operation of ${url.pathname}; it allows ${matched.allowed.join(', ')}.`, id, { headers: { allow: matched.allowed.join(', ') } })
        : errorReply(404, `${url.pathname} is not a path of the Coveton API (the mock serves it at the root, without /v1).`, id);
      send(res, method, { ...reply, headers: { ...reply.headers, 'content-type': 'application/json' } });
      return reply.status;
    }
    const rawBody = await readBody(req, MAX_API_BODY);
    if (!rawBody) {
      tooLarge(res, method, errorReply(413, `Request bodies are limited to ${MAX_API_BODY} bytes.`, id));
      return 413;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const incoming: IncomingCall = { method, path: url.pathname, query, headers, rawBody, ip: req.socket.remoteAddress ?? '127.0.0.1', requestId: id };
    const reply = await runPipeline(pipeline, matched.op, matched.params, incoming);
    send(res, method, reply);
    return reply.status;
  }

  return createServer((req, res) => {
    handle(req, res).then(
      (status) => {
        requests.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, status });
        if (requests.length > 1000) requests.shift();
        hooks.log(`${req.method} ${(req.url ?? '/').split('?')[0]} -> ${status}`);
      },
      (error: unknown) => {
        hooks.log(`✖ ${req.method} ${req.url?.split('?')[0]}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'INTERNAL', message: `Coveton mock failure: ${error instanceof Error ? error.message : String(error)}` } }));
        } else res.destroy();
      },
    );
  });
}
