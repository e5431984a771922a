// What every API request says about itself (the SDK's User-Agent; the configured headers are
// merged with the call's in ./settings.ts), and the check that no header value could split the request (CR, LF or NUL, which fetch would
// refuse late and a raw socket would send), and the one list of the headers a hook may not set.
import { CovetonInputError } from '../errors/base.js';
import type { ResolvedOptions } from '../options.js';
import { isBrowserPage } from '../util/runtime.js';
import { VERSION } from '../version.js';

/** Sets the SDK's User-Agent; undefined in a browser page, which may not set one. */
export function identity(options: Pick<ResolvedOptions, 'userAgent'>): ((headers: Record<string, string>) => void) | undefined {
  if (isBrowserPage()) return undefined;
  const agent = `${options.userAgent ? `${options.userAgent} ` : ''}coveton-sdk-ts/${VERSION}`;
  return (headers) => void (headers['user-agent'] = agent);
}

// CR, LF and NUL split a request; a character above U+00FF has no byte to travel as (RFC 9110 section 5.5).
const FORBIDDEN = /[\r\n\0\u0100-\uffff]/;
// A field name is a token (RFC 9110 section 5.1 and 5.6.2).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Fails before sending when a header name is not a token, or a value holds CR, LF, NUL or a
 * character that is no byte; names the header, never the value. Without it the runtime refused
 * the header late, as what looked like a network failure (`APIConnectionError`), and retried it.
 */
export function assertHeaderValues(headers: Record<string, string>): void {
  for (const name in headers) assertHeader(name, headers[name]);
}

/** Headers that carry credentials whoever set them: a hook never sees their values. */
export const CREDENTIAL_HEADERS = /^(authorization|x-api-key|cookie|proxy-authorization)$/;
/**
 * What a hook's `setHeader` may not set, besides the credential headers (above, which decide who
 * the call runs as; named there once). The connection's own headers, which only the transport writes
 * (hostile review M5): `host` (RFC 9110 section 7.2), the hop-by-hop ones (section 7.6.1, any
 * `proxy-*` such as `proxy-connection`, HTTP/2's `http2-settings`: RFC 9113 section 8.2.2) and
 * what frames the message or asks for an interim answer (Content-Length, Trailer, Expect:
 * sections 8.6, 6.6.2, 10.1.1). undici refuses most of them, so the call failed as a connection
 * error, retried though it could not mend; `host` sent the credentialed request to the server as
 * another host. And what the request means or how it is retried (hostile review s34 #1): the
 * call's one `idempotency-key` (a hook's own per attempt made every retry of a POST a new
 * request, run twice), the body's `content-*`, a method override (`x-http-method-override`,
 * `x-http-method`, `x-method-override`).
 */
const HOOK_REFUSED = /^((host|connection|keep-alive|transfer-encoding|upgrade|te|trailer|expect|http2-settings|content-length|proxy-connection)$|idempotency-key$|content-|proxy-|x-(http-)?method)/;

/**
 * The same check for one header, and the list above: a hook's (`hook`: its `setHeader`,
 * ./hooks.ts) may be none of it (the whole match); any other, the client's, a call's or the raw
 * client's headers, none of the connection's own (the second group; hostile review s34 #2:
 * `Host` reached the server with the credential, Transfer-Encoding failed the call as a
 * connection error that was retried). Refused before anything is sent, never retried.
 */
export function assertHeader(name: string, value: unknown, hook?: boolean): void {
  if (!TOKEN.test(name) || HOOK_REFUSED.exec(name)?.[hook ? 0 : 2] || (hook && CREDENTIAL_HEADERS.test(name))) throw new CovetonInputError(`header ${JSON.stringify(name)}`, 'is not a valid header name here');
  if (typeof value !== 'string' || FORBIDDEN.test(value)) {
    const field = name === 'authorization' || name === 'x-api-key' ? 'credential (apiKey or access token)' : `header ${name}`;
    throw new CovetonInputError(field, 'must be a string without CR, LF, NUL or characters above U+00FF');
  }
}
