// The first of auth.ts's two former jobs: what every API request says about itself (the SDK's
// User-Agent and the configured headers), and the check that no header value could split the
// request (CR, LF or NUL, which fetch would refuse late and a raw socket would send).
import { CovetonInputError } from '../errors/base.js';
import type { ResolvedOptions } from '../options.js';
import { VERSION } from '../version.js';

const isBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';

/** Adds the SDK's identity and the configured headers, without overriding per-call ones. */
export function identity(options: ResolvedOptions): (headers: Record<string, string>) => void {
  const agent = `${options.userAgent ? `${options.userAgent} ` : ''}coveton-sdk-ts/${VERSION}`;
  const extra = Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), value] as const);
  return (headers) => {
    for (const [name, value] of extra) if (!(name in headers)) headers[name] = value;
    if (!isBrowser) headers['user-agent'] = agent;
  };
}

const FORBIDDEN = /[\r\n\0]/;

/** Fails before sending when a header value holds CR, LF or NUL; names the header, never the value. */
export function assertHeaderValues(headers: Record<string, string>): void {
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value !== 'string' || FORBIDDEN.test(value)) {
      const field = name === 'authorization' || name === 'x-api-key' ? 'credential (apiKey or access token)' : `header ${name}`;
      throw new CovetonInputError(field, 'must be a string without CR, LF or NUL characters');
    }
  }
}
