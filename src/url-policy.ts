// Which URLs the SDK will send anything to. Two kinds: the API base URL (the caller's option or
// COVETON_BASE_URL) and the presigned storage URLs that the API hands back for file transfers.
// A storage URL comes from the network, so it is held to the API's own scheme and may not
// point at the machine's neighbourhood: link-local addresses (cloud metadata services live at
// 169.254.169.254 and fd00:ec2::254), unspecified addresses, and loopback unless the API itself
// is on loopback (a local mock). Credentials in a URL (`user:password@`) are refused everywhere,
// and the refusal never repeats them.
import { CovetonInputError } from './errors/base.js';

/** The URL parsed, or a CovetonInputError naming `field` that never echoes the URL. */
function parse(field: string, url: unknown): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new CovetonInputError(field, 'must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CovetonInputError(field, `must be an http(s) URL, got ${JSON.stringify(parsed.protocol)}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new CovetonInputError(field, 'must not carry credentials (user:password@); an API key goes in the apiKey option');
  }
  return parsed;
}

/** Checks the API base URL: absolute http(s), no credentials. */
export function checkBaseUrl(url: unknown): URL {
  return parse('baseUrl', url);
}

const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** An IPv4 address as four numbers, also when written as an IPv4-mapped IPv6 address. */
function ipv4(hostname: string): number[] | undefined {
  const plain = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
  if (plain) return plain.slice(1).map(Number);
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(hostname);
  if (!mapped) return undefined;
  const hi = parseInt(mapped[1]!, 16);
  const lo = parseInt(mapped[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

const isLoopback = (hostname: string) => {
  const v4 = ipv4(hostname);
  return v4 ? v4[0] === 127 : hostname === '[::1]' || hostname === 'localhost' || hostname.endsWith('.localhost');
};

/** Why a host is off limits for a storage URL, or undefined when it is fine. */
function forbiddenHost(hostname: string, apiOnLoopback: boolean): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata host';
  const v4 = ipv4(host);
  if (v4) {
    if (v4[0] === 169 && v4[1] === 254) return 'a link-local address';
    if (v4[0] === 0) return 'an unspecified address';
    if (v4[0] === 100 && v4[1] === 100 && v4[2] === 100 && v4[3] === 200) return 'a cloud metadata host';
  } else if (host.startsWith('[')) {
    const first = parseInt(host.slice(1).split(':')[0] || '0', 16);
    if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
    if (host === '[::]') return 'an unspecified address';
    if (host === '[fd00:ec2::254]') return 'a cloud metadata host';
  }
  if (!apiOnLoopback && isLoopback(host)) return 'a loopback address';
  return undefined;
}

/**
 * Checks a storage URL from a presign or download answer before anything is sent to it:
 * `https:` (or `http:` when the API base URL is `http:`), no credentials, no link-local,
 * metadata or unspecified host, and loopback only when the API is on loopback.
 */
export function checkStorageUrl(field: string, url: unknown, apiBaseUrl: string): URL {
  const parsed = parse(field, url);
  const api = new URL(apiBaseUrl);
  if (parsed.protocol === 'http:' && api.protocol !== 'http:') {
    throw new CovetonInputError(field, `must be an https URL, got one for http://${parsed.host}`);
  }
  const why = forbiddenHost(parsed.hostname, isLoopback(api.hostname.toLowerCase()));
  if (why) throw new CovetonInputError(field, `points at ${why} (${parsed.host}), which the SDK never sends to`);
  return parsed;
}
