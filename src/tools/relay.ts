// The one hop between Prism's proxy and the target of `coveton contract`. Prism 5.12 forwards with
// node-fetch 2, which follows redirects and keeps Authorization when only the port changes: a
// target answering 307 to another origin got the user's API key sent there, and that origin's
// answer graded as the target's. Prism has no option to turn this off, so Prism forwards to this
// relay on 127.0.0.1 instead, which sends each request to the target only, follows nothing, and
// hands a 3xx back without its Location: node-fetch then has nowhere to go and Prism grades the
// 3xx as the target's own answer (the spec declares none, so it is a violation).
// The rule is that nothing the target says moves a request elsewhere, so a 3xx loses every header
// that names somewhere to go (ADDRESSES below), not only the one node-fetch happens to follow.
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Relay {
  /** The relay's origin plus the target's path: what Prism forwards to. */
  url: string;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 section 7.6.1) and Host belong to one connection, not the message.
const HOP = new Set(['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * What a 3xx loses on its way back: every header that names a place to go. `Location` is the
 * redirect (RFC 9110 section 10.2.2). `Refresh` is one in all but name: browsers follow
 * `Refresh: 0; url=...` (WHATWG HTML, "shared declarative refresh steps"). `Content-Location`
 * (RFC 9110 section 8.7) only names where the content lives and moves nothing by the RFC, but on
 * a 3xx stripped of its Location it is the one address left, there for any client that takes it
 * for the way on. node-fetch 2 follows neither of the last two; removing them keeps the rule
 * independent of what Prism's forwarder does in its next release. Grading loses nothing: the
 * spec's only 3xx (the OAuth starts) are not probed (generated/probes.ts), any other is graded as
 * undeclared by its status alone. Other statuses keep them: nothing follows a 2xx or 4xx.
 */
const ADDRESSES = ['location', 'refresh', 'content-location'] as const;

/**
 * The message's headers without the hop-by-hop ones: the fixed list above and every header the
 * message's own `Connection` names (RFC 9110 section 7.6.1: a proxy removes them before
 * forwarding; a header listed there was meant for this hop only).
 */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP.has(name) && !named.has(name)));
}

/**
 * How long the relay waits without a byte from the target before it drops the request (Prism sees
 * the connection drop): the SDK's default timeout (options.ts). The call itself is bounded by the
 * contract client's `--timeout` (30 s by default); this only frees the hop once nobody waits on a
 * target that never answers, which otherwise held it, and Prism's request, for good.
 */
export const RELAY_IDLE_MS = 60_000;

/**
 * Starts a relay to `target` (an absolute http(s) URL); requests keep their path and query.
 * `idleMs`: how long the target may send nothing (RELAY_IDLE_MS).
 */
export async function startRelay(target: string, idleMs = RELAY_IDLE_MS): Promise<Relay> {
  const upstream = new URL(target);
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const relay = (req: IncomingMessage, res: ServerResponse) => {
    const out = send(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...endToEnd(req.headers), host: upstream.host }, timeout: idleMs },
      (answer) => {
        const headers = endToEnd(answer.headers);
        const status = answer.statusCode ?? 502;
        if (status >= 300 && status < 400) for (const name of ADDRESSES) delete headers[name];
        res.writeHead(status, answer.statusMessage, headers);
        // The target went away mid-body: pipe() would leave the answer open, and Prism waited
        // for its end until the SDK's timeout. Dropping the connection shows Prism the cut.
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
        answer.pipe(res);
      },
    );
    out.on('timeout', () => out.destroy(new Error(`the target sent nothing for ${idleMs} ms`)));
    // No answer from the target, or a failure after its head: Prism sees the connection drop, as
    // it would have without us.
    out.on('error', () => res.destroy());
    req.on('aborted', () => out.destroy());
    req.pipe(out);
  };
  const server = createServer(relay);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
