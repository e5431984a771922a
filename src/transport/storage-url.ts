// Which presigned storage URLs the SDK will send anything to. A storage URL comes from the
// network (a presign or download answer, a redirect), so it is held to the API's own scheme and
// may not point at the machine's neighbourhood: link-local addresses (cloud metadata services
// live at 169.254.169.254 and fd00:ec2::254), metadata host names, unspecified addresses, and
// loopback unless the API itself is on loopback (a local mock). Hosts are matched on the WHATWG
// URL parser's normalized form: IPv4 in dotted decimal (`0xa9.0xfe.0xa9.0xfe` becomes
// 169.254.169.254), IPv6 lower-case and compressed, IPv4-mapped IPv6 in hex (`[::ffff:a9fe:a9fe]`).
// Only file transfers and redirects reach it, so it is in their chunks, not the client's.
import { CovetonInputError } from '../errors/base.js';
import { parseHttpUrl } from './url-policy.js';

// 127/8, ::1, 127/8 IPv4-mapped or in NAT64 form (RFC 6052's 64:ff9b::/96), localhost,
// *.localhost, and the loopback names Debian's /etc/hosts gives (localhost.localdomain, ip6-*).
const LOOPBACK = /^(?:127\.|\[::1\]$|\[(?:::ffff|64:ff9b:):7f|localhost(?:\.localdomain)?$|ip6-(?:localhost|loopback)$)|\.localhost$/;
// 169.254/16 and fe80::/10 (link-local), 0/8 and :: (unspecified), their IPv4-mapped (and, for
// 169.254/16, NAT64) forms, and the metadata services' names and addresses (GCP, AWS and its
// IPv6 address, Alibaba). Names are matched as written, never resolved: a name of your own
// that resolves to such an address is not caught (resolving first would not stop a name that
// answers differently the second time).
const NEVER = /^(?:169\.254\.|0\.|\[(?:fe[89ab][0-9a-f]:|(?:::ffff|64:ff9b:):a9fe:|::ffff:0:|::\]|fd00:ec2::254\])|metadata(?:\.google\.internal)?$|instance-data(?:\.ec2\.internal)?$|100\.100\.100\.200$)/;

/**
 * Checks a storage URL from a presign or download answer before anything is sent to it:
 * `https:` (or `http:` when the API base URL is `http:`), no credentials, no link-local,
 * metadata or unspecified host, and loopback only when the API is on loopback. Returns the URL
 * to send, without its fragment: as written when its origin is the one checked and the rest is
 * printable ASCII, else the one these checks parsed (undici takes a string as it is: the API's
 * raw text put a space or raw non-ASCII bytes in the request line, and a fragment on the wire).
 */
export function checkStorageUrl(field: string, url: unknown, apiBaseUrl: string): string {
  const parsed = parseHttpUrl(field, url);
  const { protocol, hostname, host } = parsed;
  const api = new URL(apiBaseUrl);
  if (protocol !== 'https:' && api.protocol !== 'http:') throw new CovetonInputError(field, `must be an https URL, got one for http://${host}`);
  const name = hostname.replace(/\.$/, '');
  if (NEVER.test(name) || (LOOPBACK.test(name) && !LOOPBACK.test(api.hostname))) {
    throw new CovetonInputError(field, `points at ${host}, a link-local, metadata, unspecified or loopback host the SDK never sends to`);
  }
  // As the API wrote it when that is exactly what was checked: the origin as parsed, then only
  // printable ASCII (a presigned S3 key may hold `..` or `.` segments a parser collapses, and the
  // signature covers them; fetch collapses them anyway). Else as parsed. Never the fragment.
  const raw = String(url).split('#')[0]!;
  parsed.hash = '';
  return raw.startsWith(parsed.origin) && /^[/?][\x21-\x7e]*$/.test(raw.slice(parsed.origin.length)) ? raw : parsed.href;
}
