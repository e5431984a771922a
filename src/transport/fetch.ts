// The bottom hop where `fetch` is the transport: browsers, Deno, Bun, workers, and any runtime
// given a custom `fetch`. Redirects are never followed here (`redirect: 'manual'`): the
// pipeline decides which ones to follow (see src/pipeline/policy.ts).
import { isSource, type Outgoing, type Reply, type Send } from './outgoing.js';
import { chunksOf, decode, readCapped } from './read.js';

function fromResponse(response: Response): Reply {
  // Known length, not compressed: the runtime's own reader is the fastest and cannot overrun.
  const fits = (limit: number) => {
    const length = response.headers.get('content-length');
    return length !== null && !response.headers.has('content-encoding') && Number(length) <= limit;
  };
  const discard = () => void response.body?.cancel().catch(() => {});
  const capped = async (limit: number) => (response.body ? readCapped(chunksOf(response.body), limit, discard) : new Uint8Array(0));
  // `status` is 0 for a redirect a browser hides from scripts (type 'opaqueredirect').
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    text: (limit) => (fits(limit) ? response.text() : capped(limit).then(decode)),
    bytes: async (limit) => (fits(limit) ? new Uint8Array(await response.arrayBuffer()) : capped(limit)),
    stream: () => response.body,
    discard,
    toHeaders: () => response.headers,
  };
}

/** A Send over `fetch`. A custom fetch gets a `Request`, as the option's type promises. */
export function fetchSend(fetchImpl: (request: Request) => Promise<Response>, custom: boolean): Send {
  const init = (request: Outgoing, signal: AbortSignal | undefined): RequestInit => {
    const { body, method, headers } = request;
    // Only the members there are: fetch converts each one given, on every call.
    if (!isSource(body)) {
      const bare: RequestInit = { method, headers, redirect: 'manual' };
      if (body !== null) bare.body = body as BodyInit;
      if (signal) bare.signal = signal;
      return bare;
    }
    // A Blob goes as it is: the runtime knows its length and reads it from where it lives. Any
    // other source is streamed, half duplex, with its declared length (browsers drop that header
    // and need HTTP/2 for a streamed body; Node and Deno send it).
    if (typeof Blob !== 'undefined' && body instanceof Blob) return { method, headers, body, redirect: 'manual', signal };
    return { method, headers: { ...headers, 'content-length': String(body.size) }, body: body.stream(), duplex: 'half', redirect: 'manual', signal } as RequestInit;
  };
  if (custom) return async (request, abort) => fromResponse(await fetchImpl(new Request(request.url, init(request, abort?.signal))));
  // The runtime's own fetch keeps no signal past the answer; a custom one might (it is the
  // caller's code), so it gets a signal of its own. Known limit: code that replaced
  // `globalThis.fetch` (instrumentation, request mocking) is taken for the runtime's and is lent
  // signals; an abort listener it leaves on one hears a later call's timeout or abort. Telling
  // the two apart by comparing with the fetch seen at load costs 16 B gzipped, over the budget,
  // and misses a wrapper installed before the SDK loads.
  return async (request, abort) => fromResponse(await globalThis.fetch(request.url, init(request, abort?.sendSignal)));
}
