// The HTTP side of the stateful mock: who may talk to it (cors.ts), the request id, rate limits
// on every API answer (even an unknown path or a 413), the control endpoints under the reserved
// `/__mock/` prefix, presigned storage under `/__storage/`, and everything else through the API
// pipeline. Malformed input (a bad percent-encoding, an unparseable URL) is a 400, never a 500.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BODY_IDLE_MS, readBody, type BodyBudget, type BodyRead, type Lease } from './bodies.js';
import { answerPreflight, applyCors, controlRequestSafe, refusal, type OriginPolicy } from './cors.js';
import { rawCredential } from './credentials.js';
import { requestId } from '../tools/ids.js';
import { runPipeline, type IncomingCall, type Pipeline } from './pipeline.js';
import type { RateLimiter } from './rate-limit.js';
import { errorReply, type Reply } from './reply.js';
import { fileUploaded, presignedFile } from './rules/files.js';

/** The largest API request body the mock reads (a message is at most 1 MiB of base64 plus envelopes). */
const MAX_API_BODY = 16 * 1024 * 1024;
/** The largest body of a control request (`{ "advance": "16m" }`). */
const MAX_CONTROL_BODY = 64 * 1024;

export interface ServerHooks {
  pipeline: Pipeline;
  limiter: RateLimiter;
  policy: OriginPolicy;
  /** Answers under `/__mock/` (reset, clock, events, violations). */
  control(method: string, path: string, body: unknown, id: string): Reply;
  maxUploadBytes: number;
  /** The request bodies in flight, bounded in total (bodies.ts). */
  bodies: BodyBudget;
  log(line: string): void;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

function send(res: ServerResponse, method: string, reply: Reply): void {
  const payload = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  const headers: Record<string, string> = { ...reply.headers };
  const json = reply.body !== undefined && typeof reply.body === 'object' && !Buffer.isBuffer(reply.body);
  if (json && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  res.writeHead(reply.status, { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) });
  res.end(method === 'HEAD' ? undefined : payload);
}

/**
 * An answer sent before the body is read to its end (a 413, a refused upload): the connection is
 * closed after it, or the body's rest would be read as the next request on a kept-alive socket
 * (the client's next call failed with ECONNRESET).
 */
function sendUnread(res: ServerResponse, method: string, reply: Reply): void {
  send(res, method, { ...reply, headers: { ...reply.headers, connection: 'close' } });
}

/**
 * The answer to a body the mock did not read whole. Over its own limit, a 413: the same request
 * will never fit, and the SDK does not send it again. No room beside the bodies in flight
 * (bodies.ts), a 503 with `Retry-After: 1`, not a 413: the request itself is fine and fits once
 * others are answered, which is what RFC 9110 (15.6.4) says a 503 means ("temporary overload",
 * with Retry-After), and the SDK then does the sensible thing: it retries a 503 that is safe to
 * repeat (an idempotent method, or an `Idempotency-Key`) after Retry-After (pipeline/policy.ts),
 * and never a POST without a key, which it cannot know was refused before it ran. Neither
 * status is declared per operation in the spec (both come before an operation runs, like a
 * proxy's); both use its error envelope, a 503's code being `INTERNAL`, the code of every 5xx
 * (ErrorCode.yaml), which the SDK raises as InternalServerError.
 */
function bodyRefused(why: Exclude<BodyRead, { body: Buffer }>['refused'], tooLarge: string, id: string): Reply {
  if (why === 'too-large') return errorReply(413, tooLarge, id);
  // A body that stopped arriving: 408, the request never came whole (RFC 9110 section 15.5.9),
  // so it ran nothing and the SDK may send it again, a POST included (pipeline/policy.ts).
  if (why === 'stalled') return errorReply(408, `No byte of the request body for ${BODY_IDLE_MS / 1000} s: the mock stopped waiting for it.`, id);
  return errorReply(503, 'The mock holds as many request bodies as it takes at once (GET /__mock/memory, "bodies"): retry after 1 s.', id, { headers: { 'retry-after': '1' } });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The path's segments decoded, or undefined when one is not valid percent-encoding (`%FF`). */
function decodable(pathname: string): boolean {
  try {
    for (const part of pathname.split('/')) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/** The rate-limit windows a request counts against: its address, and its credential if any. */
function rateKeys(ip: string, headers: Record<string, string>): string[] {
  const credential = rawCredential(headers);
  return credential ? [`ip:${ip}`, `token:${createHash('sha256').update(credential).digest('base64url')}`] : [`ip:${ip}`];
}

export function createMockServer(hooks: ServerHooks, requests: RequestRecord[]): Server {
  const { pipeline, limiter } = hooks;
  const env = pipeline.env;
  // The body limits depend only on the server's budget: computed once here, not per request.
  const controlLimit = Math.min(MAX_CONTROL_BODY, hooks.bodies.cap);
  const apiLimit = Math.min(MAX_API_BODY, hooks.bodies.cap);

  async function handle(req: IncomingMessage, res: ServerResponse, lease: Lease): Promise<number> {
    const id = requestId();
    const method = (req.method ?? 'GET').toUpperCase();
    res.setHeader('x-request-id', id);
    const ip = req.socket.remoteAddress ?? '127.0.0.1';
    const denied = refusal(req, hooks.policy);
    if (denied) {
      send(res, method, errorReply(403, denied, id, { headers: limiter.peek([`ip:${ip}`]).headers }));
      return 403;
    }
    applyCors(req, res);
    if (answerPreflight(req, res)) return 204;
    const headers = flatHeaders(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mock.invalid');
    } catch {
      send(res, method, errorReply(400, 'The request target is not a valid URL path.', id));
      return 400;
    }
    // The API's paths live under /v1; the mock serves them at the root, and accepts the prefix
    // too so that the seeds' curl examples work with only the host changed.
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) url.pathname = url.pathname.slice(3) || '/';

    if (url.pathname.startsWith('/__mock/')) {
      const rate = limiter.peek([`ip:${ip}`]).headers;
      if (!controlRequestSafe(req)) {
        send(res, method, errorReply(403, 'Control requests that change the mock need `Content-Type: application/json` or an `X-Coveton-Mock` header, which a web page cannot send without asking first.', id, { headers: rate }));
        return 403;
      }
      const read = await readBody(req, controlLimit, lease);
      if ('refused' in read) {
        const reply = bodyRefused(read.refused, `Control request bodies are limited to ${controlLimit} bytes.`, id);
        sendUnread(res, method, { ...reply, headers: { ...reply.headers, ...rate } });
        return reply.status;
      }
      let body: unknown;
      try {
        body = read.body.length > 0 ? JSON.parse(read.body.toString('utf8')) : undefined;
      } catch {
        send(res, method, errorReply(400, 'The control request body is not valid JSON.', id, { headers: rate }));
        return 400;
      }
      const reply = hooks.control(method, url.pathname.slice('/__mock'.length), body, id);
      send(res, method, { ...reply, headers: { ...reply.headers, ...rate } });
      return reply.status;
    }

    if (url.pathname.startsWith('/__storage/')) {
      const expected = (fileId: string) => presignedFile(env, fileId);
      // The URL, method and headers decide first: a forged or expired URL never makes the mock
      // read (and hold) a body of up to maxUploadBytes. A request whose body is all in keeps
      // its connection.
      const refused = env.storage.refusal(method, url, headers, expected);
      if (refused) {
        (req.complete ? send : sendUnread)(res, method, refused);
        return refused.status;
      }
      const read = await readBody(req, hooks.maxUploadBytes, lease);
      if ('refused' in read) {
        const reply = bodyRefused(read.refused, `The mock's storage takes uploads up to ${hooks.maxUploadBytes} bytes.`, id);
        sendUnread(res, method, reply);
        return reply.status;
      }
      const answer = env.storage.handle(method, url, headers, read.body, expected);
      if (method === 'PUT' && answer.status === 200) fileUploaded(env, url.pathname.split('/')[2] ?? '');
      send(res, method, answer);
      return answer.status;
    }

    // Every API request counts, and every answer carries the figures, whatever it is.
    const rate = limiter.take(rateKeys(ip, headers));
    const withRate = (reply: Reply): Reply => ({ ...reply, headers: { ...reply.headers, ...rate.headers } });
    if (!rate.allowed) {
      send(res, method, withRate(errorReply(429, `Rate limit of ${rate.headers['x-ratelimit-limit']} requests exceeded: retry after ${rate.headers['retry-after']} s.`, id)));
      return 429;
    }
    if (!decodable(url.pathname)) {
      send(res, method, withRate(errorReply(400, `The path ${url.pathname} is not valid percent-encoding (each %XX must form UTF-8).`, id)));
      return 400;
    }
    const matched = env.spec.match(method, url.pathname);
    if (!matched || 'allowed' in matched) {
      const reply = matched
        ? errorReply(405, `${method} is not an operation of ${url.pathname}; it allows ${matched.allowed.join(', ')}.`, id, { headers: { allow: matched.allowed.join(', ') } })
        : errorReply(404, `${url.pathname} is not a path of the Coveton API (the mock serves it at the root, without /v1).`, id);
      send(res, method, withRate(reply));
      return reply.status;
    }
    const read = await readBody(req, apiLimit, lease);
    if ('refused' in read) {
      const reply = bodyRefused(read.refused, `Request bodies are limited to ${apiLimit} bytes.`, id);
      sendUnread(res, method, withRate(reply));
      return reply.status;
    }
    const rawBody = read.body;
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const incoming: IncomingCall = { method, path: url.pathname, query, headers, rawBody, ip, requestId: id };
    const reply = await runPipeline(pipeline, matched.op, matched.params, incoming, rate.headers);
    send(res, method, reply);
    return reply.status;
  }

  return createServer((req, res) => {
    // The request's share of the body budget goes back however it ends: answered, refused, or
    // failed because its client went away mid-body (the read throws, the error branch below).
    const lease = hooks.bodies.lease();
    handle(req, res, lease)
      .finally(() => lease.release())
      .then(
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
