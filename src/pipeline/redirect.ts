// The redirect rules of the policy (./policy.ts `decide` hands a redirect here): follow it, or
// refuse it with the reason. Loaded by the loop on the first redirect, so that a bundle whose
// API never redirects does not carry them.
import type { Outgoing } from '../transport/outgoing.js';
import { checkStorageUrl } from '../transport/storage-url.js';
import { isStorageCredential } from '../transport/storage-headers.js';
import type { AttemptState, CallPolicy, Decision } from './policy.js';

const MAX_REDIRECTS = 5;

/** Follow or refuse the redirect that `state` answered; `location` in a refusal never shows a query. */
export function redirect(policy: CallPolicy, state: AttemptState): Decision {
  if (state.status === 0) return { do: 'refuse', location: '', why: 'the runtime hides its target' };
  if (state.redirects >= MAX_REDIRECTS) return { do: 'refuse', location: '', why: 'too many redirects' };
  if (!state.location) return { do: 'refuse', location: '', why: 'no Location' };
  let target: URL;
  try {
    target = new URL(state.location, policy.url);
  } catch {
    return { do: 'refuse', location: '', why: 'bad Location' };
  }
  const shown = `${target.origin}${target.pathname}${target.search ? '?[REDACTED]' : ''}`;
  // A user:password in the Location is the server handing out a credential: fetch refuses to
  // build such a request (it failed as a connection error) while undici dropped it and followed.
  if (target.username || target.password) return { do: 'refuse', location: shown, why: 'the Location carries credentials' };
  const toGet = state.status === 303 || ((state.status === 301 || state.status === 302) && policy.method === 'POST');
  const method = toGet && policy.method !== 'HEAD' ? 'GET' : policy.method;
  if (policy.redirects === 'storage') {
    if (target.protocol !== 'https:') return { do: 'refuse', location: shown, why: 'storage redirects are followed only to https' };
    // A storage server's Location is the network's word as much as the presigned URL was: the
    // same host rules (../transport/storage-url.ts), loopback only from loopback. The presign's
    // headers go along, but to another origin without its credentials (`followed`).
    try {
      checkStorageUrl('Location', target.href, policy.url);
    } catch {
      return { do: 'refuse', location: shown, why: 'it points at a link-local, metadata, unspecified or loopback host' };
    }
    return { do: 'follow', url: target.href, method, keepBody: method === policy.method };
  }
  if (target.origin !== new URL(policy.url).origin) return { do: 'refuse', location: shown, why: 'another origin never gets an API request' };
  if (policy.repeat === 'if-not-sent') return { do: 'refuse', location: shown, why: 'it carries a one-time credential' };
  if (policy.method !== 'GET' && policy.method !== 'HEAD') return { do: 'refuse', location: shown, why: `${policy.method} is never re-sent` };
  return { do: 'follow', url: target.href, method, keepBody: false };
}

/**
 * The request a followed redirect sends: to its target, with the body only when the method
 * stays, and to another origin without the presign's credentials (../transport/storage-headers.ts;
 * only storage redirects may leave their origin: `redirect` above).
 */
export function followed(request: Outgoing, next: Extract<Decision, { do: 'follow' }>): Outgoing {
  const headers = { ...request.headers };
  if (!next.keepBody) {
    delete headers['content-type'];
    delete headers['content-length'];
  }
  if (new URL(next.url).origin !== new URL(request.url).origin) {
    for (const name of Object.keys(headers)) if (isStorageCredential(name)) delete headers[name];
  }
  return { url: next.url, method: next.method, headers, body: next.keepBody ? request.body : null };
}
