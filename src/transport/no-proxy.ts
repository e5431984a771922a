// NO_PROXY as curl reads it (curl 7.86+), decided for one URL. Entries are separated by commas
// or spaces, case does not matter:
// - `*` alone: no request takes the proxy;
// - a host name: that host and every host below it (`example.com`, `.example.com` and
//   `*.example.com` all cover `api.example.com`; the first two cover `example.com` itself);
// - an IP address, v4 or v6, bare or in brackets (`::1`, `[::1]`): that address;
// - a CIDR range (`10.0.0.0/8`, `fe80::/10`): every address in it;
// - any of the above but a range with `:port` (`[::1]:8080`, `localhost:4010`): that port only.
// Pure and runtime-free: the Node transport (node-undici.ts) asks it per origin.

export type NoProxyRule =
  | { kind: 'all' }
  | { kind: 'name'; name: string; port: number | undefined }
  | { kind: 'ip'; bytes: Uint8Array; bits: number; port: number | undefined };

/** The 4 bytes of a dotted-quad IPv4 address, or undefined. */
function ipv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

/** The 16 bytes of an IPv6 address (`::` shortening, an IPv4 tail, a `%zone` dropped), or undefined. */
function ipv6(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '');
  if (!address.includes(':')) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

function address(text: string): Uint8Array | undefined {
  return ipv4(text) ?? ipv6(text);
}

function port(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : null;
}

/** One entry, or undefined when it cannot match anything (it is then ignored, as curl does). */
function rule(entry: string): NoProxyRule | undefined {
  if (entry === '*') return { kind: 'all' };
  let host = entry;
  let portText: string | undefined;
  let bits: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if (entry.includes('/')) {
    const [base, prefix] = entry.split('/');
    if (!/^\d{1,3}$/.test(prefix ?? '')) return undefined;
    host = base!;
    bits = Number(prefix);
  } else if (entry.split(':').length === 2) {
    [host, portText] = entry.split(':') as [string, string];
  }
  const onPort = port(portText);
  if (onPort === null) return undefined;
  const bytes = address(host);
  if (bytes) {
    const width = bytes.length * 8;
    if (bits !== undefined && bits > width) return undefined;
    return { kind: 'ip', bytes, bits: bits ?? width, port: onPort };
  }
  if (bits !== undefined) return undefined;
  const name = host.replace(/^\*/, '').replace(/^\./, '').replace(/\.$/, '');
  return name === '' ? undefined : { kind: 'name', name, port: onPort };
}

/** The rules of a NO_PROXY value. */
export function parseNoProxy(value: string | undefined): NoProxyRule[] {
  if (!value) return [];
  return value
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(rule)
    .filter((r): r is NoProxyRule => r !== undefined);
}

function inRange(bytes: Uint8Array, range: Uint8Array, bits: number): boolean {
  if (bytes.length !== range.length) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((bytes[i >> 3]! & mask) !== (range[i >> 3]! & mask)) return false;
  }
  return true;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Whether a request to `url` goes direct under `rules`. */
export function bypassesProxy(url: URL, rules: readonly NoProxyRule[]): boolean {
  if (rules.length === 0) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const onPort = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  const bytes = address(host);
  return rules.some((r) => {
    if (r.kind === 'all') return true;
    if (r.port !== undefined && r.port !== onPort) return false;
    if (r.kind === 'ip') return bytes !== undefined && inRange(bytes, r.bytes, r.bits);
    return bytes === undefined && (host === r.name || host.endsWith(`.${r.name}`));
  });
}
