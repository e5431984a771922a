// What a web page may do with a mock running on a developer's machine. The API answers CORS for
// any origin (API brief, "Browsers"), but the mock holds invite and reset tokens and can be
// reset, so it trusts loopback pages only (the docs site on localhost, a dev server) unless
// `--cors-origin` names more. Three defences:
// - CORS: only allowed origins get `Access-Control-Allow-Origin` (the rate-limit figures,
//   `Retry-After` and `X-Request-Id` exposed to them); a request from any other origin is refused.
// - DNS rebinding: a `Host` that is not a loopback name is refused while the mock listens on
//   loopback (a page that rebinds its own name to 127.0.0.1 still sends its own name).
// - Control endpoints (`/__mock/`) change state only on a request a page cannot send without a
//   preflight: `Content-Type: application/json` or an `X-Coveton-Mock` header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

export const EXPOSED_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'X-Request-Id'];
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-API-Key, X-Request-Id, X-Coveton-Mock';

export interface OriginPolicy {
  /** Origins allowed besides loopback ones (`--cors-origin`); `*` allows every origin. */
  corsOrigins: string[];
  /** Whether the mock listens on a loopback address (then the Host header is checked). */
  loopbackOnly: boolean;
}

/** Whether a host name or address is this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

function originAllowed(origin: string, policy: OriginPolicy): boolean {
  if (policy.corsOrigins.includes('*') || policy.corsOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname);
  } catch {
    return false;
  }
}

/** Why the request is refused before anything else, or undefined. */
export function refusal(req: IncomingMessage, policy: OriginPolicy): string | undefined {
  if (policy.loopbackOnly) {
    const host = req.headers.host ?? '';
    const hostname = /^\[[^\]]*\]/.exec(host)?.[0] ?? host.replace(/:\d*$/, '');
    if (!isLoopback(hostname)) {
      return `The Host ${JSON.stringify(host)} is not this machine: the Coveton mock listens on loopback and answers localhost and 127.0.0.1 only (a page that rebinds its name to 127.0.0.1 is refused). Containers: start it with --host 0.0.0.0.`;
    }
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, policy)) {
    return `Pages from ${JSON.stringify(origin)} may not call the Coveton mock: it answers loopback origins only; start it with --cors-origin ${origin} to allow this one.`;
  }
  return undefined;
}

/** Whether a control request (`/__mock/`) is one no page could send without a preflight. */
export function controlRequestSafe(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  return /^application\/json\b/i.test(req.headers['content-type'] ?? '') || req.headers['x-coveton-mock'] !== undefined;
}

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  if (!req.headers.origin) return;
  res.setHeader('access-control-allow-origin', req.headers.origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
}

/** Answers a preflight of an allowed origin; true when the request was one. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? ALLOWED_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
