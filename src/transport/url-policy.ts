// Which API base URL the SDK will send anything to: the caller's option or COVETON_BASE_URL,
// absolute http(s). Credentials in a URL (`user:password@`) are refused everywhere, and the
// refusal never repeats them. The presigned storage URLs that the API hands back for file
// transfers are held to more (./storage-url.ts, loaded with the file transfers and redirects
// that reach them): this file is what every client needs up front.
import { CovetonInputError } from '../errors/base.js';

/** The URL parsed, or a CovetonInputError naming `field` that never echoes the URL. */
export function parseHttpUrl(field: string, url: unknown): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new CovetonInputError(field, 'must be an absolute http(s) URL');
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new CovetonInputError(field, `must be an http(s) URL, got "${parsed.protocol}"`);
  if (parsed.username || parsed.password) throw new CovetonInputError(field, 'must not carry credentials (user:password@)');
  return parsed;
}

/** Checks the API base URL: absolute http(s), no credentials. */
export const checkBaseUrl = (url: unknown): URL => parseHttpUrl('baseUrl', url);
