// What every API request says about itself (the SDK's User-Agent; the configured headers are
// merged with the call's in ./settings.ts), and the check that no header value could split the request (CR, LF or NUL, which fetch would
// refuse late and a raw socket would send).
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

/** The same check for one header (a hook's `setHeader`, ./hooks.ts). */
export function assertHeader(name: string, value: unknown): void {
  if (!TOKEN.test(name)) throw new CovetonInputError(`header ${JSON.stringify(name)}`, 'is not a valid header name');
  if (typeof value !== 'string' || FORBIDDEN.test(value)) {
    const field = name === 'authorization' || name === 'x-api-key' ? 'credential (apiKey or access token)' : `header ${name}`;
    throw new CovetonInputError(field, 'must be a string without CR, LF, NUL or characters above U+00FF');
  }
}
