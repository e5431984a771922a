// `coveton mock --errors`: a thin layer in front of Prism that makes a request which breaks the
// spec fail loudly. Prism alone answers such a request with the spec's canned 400/422/401
// example ("Malformed JSON body.", "Access token expired."), which names the wrong cause; here
// the answer keeps Prism's status and the API's error envelope, but its message and `details`
// say exactly what broke, and a line per violation goes to stderr.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Output } from './output.js';
import { parseViolations, type Violation } from './violations.js';

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect', 'content-encoding']);

function codeFor(status: number): string {
  return status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 422 ? 'VALIDATION' : 'BAD_REQUEST';
}

/** The loud answer to a request that broke the spec, in the API's error envelope. */
export function loudError(status: number, violations: Violation[]): unknown {
  if (status === 401) {
    return {
      error: {
        code: 'UNAUTHORIZED',
        reason: 'credentials_missing',
        message: 'Coveton mock: no credentials: send Authorization: Bearer <key> or X-API-Key (the mock accepts any key)',
        requestId: 'req_mock',
      },
    };
  }
  const details = violations.map((v) => {
    // ["request", "body", "name"] -> "name"; ["request", "query", "status"] -> "query.status";
    // a missing property is reported on its parent, so add its name.
    const path = v.location[1] === 'body' ? v.location.slice(2) : v.location.slice(1);
    const missing = /required property '([^']+)'/.exec(v.message)?.[1];
    return { path: [...path, ...(missing ? [missing] : [])].join('.') || v.location.join('.'), message: v.message };
  });
  return {
    error: {
      code: codeFor(status),
      message: `Coveton mock: the request breaks the Coveton API spec: ${violations.map((v) => v.message).join('; ')}`,
      details,
      requestId: 'req_mock',
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function relay(req: IncomingMessage, res: ServerResponse, prismUrl: string, out: Output): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
  const upstream = await fetch(`${prismUrl}${req.url ?? '/'}`, { method, headers, body, redirect: 'manual' });
  let payload = Buffer.from(await upstream.arrayBuffer());
  const violations = parseViolations(upstream.headers.get('sl-violations'));
  const what = `${method} ${(req.url ?? '/').split('?')[0]} -> ${upstream.status}`;
  const requestErrors = violations.filter((v) => v.location[0] === 'request' && v.severity === 'Error');
  const outHeaders: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) outHeaders[name] = value;
  });
  if (requestErrors.length > 0 && upstream.status >= 400) {
    payload = Buffer.from(JSON.stringify(loudError(upstream.status, requestErrors)));
    outHeaders['content-type'] = 'application/json';
  }
  for (const v of violations) {
    const side = v.location[0] === 'response' ? "the spec's own example breaks its schema" : 'the request breaks the spec';
    out.info(`✖ mock: ${what}: ${side}: ${v.location.join('.')}: ${v.message}`);
  }
  outHeaders['content-length'] = String(payload.length);
  res.writeHead(upstream.status, outHeaders);
  res.end(method === 'HEAD' ? undefined : payload);
}

/** Listens on 127.0.0.1:port and relays to Prism at `prismUrl`. */
export function startLoudFront(port: number, prismUrl: string, out: Output): Promise<Server> {
  const server = createServer((req, res) => {
    relay(req, res, prismUrl, out).catch((error: unknown) => {
      out.info(`✖ mock: could not relay ${req.method} ${req.url?.split('?')[0]}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Coveton mock: Prism did not answer' } }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
