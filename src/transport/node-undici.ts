// The bottom hop in Node: undici's dispatcher API, the engine under Node's own fetch, without
// the Request/Response objects, the WHATWG streams and the garbage they make (measured in
// scripts/bench: most of a fetch call's CPU). Keep-alive connections per origin, and proxies
// from HTTPS_PROXY / HTTP_PROXY, with NO_PROXY read as curl reads it (./no-proxy.ts: IPv6
// literals, CIDR ranges, ports), unless the `proxy` option says otherwise. Only src/index.node.ts reaches this file: browser bundles never do.
import { STATUS_CODES } from 'node:http';
import { finished, pipeline, type Duplex, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, Dispatcher, Pool, ProxyAgent } from 'undici';
import type { ResolvedOptions } from '../options.js';
import { isSource, type HeaderReader, type Reply, type Send } from './outgoing.js';
import { CovetonInputError } from '../errors/base.js';
import { blobSlices } from './node-fetch.js';
import { renewableProxy, settledOrStuck, type ProxyRoute } from './node-proxy.js';
import { bypassesProxy, parseNoProxy, type NoProxyRule } from './no-proxy.js';
import { decode, readCapped } from './read.js';

type RawHeaders = Record<string, string | string[] | undefined>;

/** undici's raw headers (lower-case names) as the pipeline reads them. */
class RawHeaderReader implements HeaderReader {
  constructor(readonly raw: RawHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

function toHeaders(raw: RawHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

const DECODERS: Record<string, () => Duplex> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };
/** At most this many codings are undone, as fetch (undici) allows: a longer list is a decompressor per entry. */
const MAX_CODINGS = 5;

/**
 * The decoded body: undici hands over the bytes as sent, so compression is undone here, under
 * the cap. Codings are listed in the order they were applied (RFC 9110 section 8.4), so they
 * are undone last first, as fetch does; with one it does not know, or too many, the body stays
 * as sent (and is not the JSON the caller wanted).
 */
function decoded(body: Dispatcher.ResponseData['body'], encoding: string | null): Readable {
  const codings = (encoding ?? '').split(',').map((coding) => coding.trim()).filter((coding) => coding && coding !== 'identity');
  if (!codings.length || codings.length > MAX_CODINGS || !codings.every((coding) => Object.hasOwn(DECODERS, coding))) return body;
  const steps = codings.reverse().map((coding) => DECODERS[coding]!());
  // pipeline, not pipe: pipe passes neither an error nor a destroy on, so a connection reset
  // mid-body, or the attempt's timer destroying the body, left the decompressor waiting
  // forever and the call hanging past its timeout and deadline.
  return pipeline([body, ...steps], () => {}) as Duplex;
}

/**
 * A Node body as a web stream, one chunk per pull, each chunk as the body produced it.
 * Readable.toWeb copies every chunk (to detach it from Buffer's shared pool), and reading the
 * body through its async iterator (read() with no size) joins every chunk waiting in it into a
 * new buffer whenever the reader is slower than the socket: either way a second buffer of the
 * whole body for the collector. Flowing mode emits the chunks one by one; the body is paused
 * after each until the reader asks again. A chunk that is all of its buffer (a socket read, or
 * a decompressor's filled output) is handed on as it is, never reused by its producer; only a
 * view into a larger buffer is copied, so a reader may still transfer what it gets.
 */
export function webStream(source: Readable, destroy: (reason: unknown) => void): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source.pause();
        source.on('data', (value: Uint8Array) => {
          // Cancelled by the reader (a download past its declared size): chunks the body had in
          // flight are dropped, as enqueue on a closed stream throws (an uncaught exception).
          if (cancelled) return;
          const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
          controller.enqueue(whole ? new Uint8Array(value.buffer, 0, value.byteLength) : new Uint8Array(value));
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        });
        // An end, an error, or a close before the end (a reset connection): never a short body read as whole.
        finished(source, (error) => {
          if (error) return controller.error(error);
          try {
            controller.close();
          } catch {
            // Already cancelled by the reader.
          }
        });
      },
      pull() {
        source.resume();
      },
      cancel(reason) {
        cancelled = true;
        destroy(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** An undici answer as a Reply: one object per answer, its methods shared. */
class UndiciReply implements Reply {
  readonly status: number;
  readonly statusText: string;
  readonly headers: RawHeaderReader;
  readonly #body: Dispatcher.ResponseData['body'];
  readonly #encoding: string | null;
  /** The length when the body comes as sent (not compressed): the runtime's own reader cannot overrun it. */
  readonly #known: number | undefined;
  constructor({ statusCode, headers, body }: Dispatcher.ResponseData) {
    this.status = statusCode;
    this.statusText = STATUS_CODES[statusCode] ?? '';
    this.headers = new RawHeaderReader(headers as RawHeaders);
    this.#body = body;
    // Content codings are case-insensitive (RFC 9110 section 8.4.1): `GZIP` is gzip, as fetch reads it.
    const encoding = this.headers.get('content-encoding')?.trim().toLowerCase() ?? null;
    const length = this.headers.get('content-length');
    this.#encoding = encoding;
    this.#known = length !== null && encoding === null ? Number(length) : undefined;
  }
  #capped(limit: number): Promise<Uint8Array> {
    const body = this.#body;
    return readCapped(decoded(body, this.#encoding), limit, () => body.destroy());
  }
  text(limit: number): Promise<string> {
    return this.#known !== undefined && this.#known <= limit ? this.#body.text() : this.#capped(limit).then(decode);
  }
  async bytes(limit: number): Promise<Uint8Array> {
    return this.#known !== undefined && this.#known <= limit ? new Uint8Array(await this.#body.arrayBuffer()) : this.#capped(limit);
  }
  stream(): ReadableStream<Uint8Array> {
    const body = this.#body;
    return webStream(this.#encoding ? decoded(body, this.#encoding) : body, (reason) => body.destroy(reason instanceof Error ? reason : undefined));
  }
  discard(): void {
    void this.#body.dump().catch(() => {});
  }
  toHeaders(): Headers {
    return toHeaders(this.headers.raw);
  }
}

/** Sends each request direct or through the proxy of its scheme, as NO_PROXY says. */
class EnvProxyRouter extends Dispatcher {
  readonly #direct = new Agent();
  readonly #http: Dispatcher;
  readonly #https: Dispatcher;
  readonly #rules: NoProxyRule[];

  constructor(httpProxy: string | undefined, httpsProxy: string | undefined, noProxy: string | undefined) {
    super();
    this.#http = httpProxy ? new ProxyAgent(httpProxy) : this.#direct;
    this.#https = httpsProxy ? new ProxyAgent(httpsProxy) : this.#http;
    this.#rules = parseNoProxy(noProxy);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const url = new URL(String(options.origin));
    const via = bypassesProxy(url, this.#rules) ? this.#direct : url.protocol === 'https:' ? this.#https : this.#http;
    return via.dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([...new Set([this.#direct, this.#http, this.#https])].map((d) => d.close()));
  }

  override async destroy(): Promise<void> {
    await Promise.all([...new Set([this.#direct, this.#http, this.#https])].map((d) => d.destroy()));
  }
}

/** The dispatcher of each origin. */
type Route = ((origin: string) => Dispatcher) & { stuck?: ProxyRoute['stuck'] };

/** Origins whose pools are kept; past it the least recently used one is closed. */
const MAX_POOLS = 16;

/**
 * Direct (the usual case): one keep-alive Pool per origin, asked directly. An Agent keeps the
 * same pools but looks one up and dispatches through a layer of its own on every request. The
 * pools are bounded: presigned storage URLs and redirects may name ever new origins, and a pool
 * nobody closes keeps its sockets. A closed pool finishes what it has in flight first.
 */
export function poolPerOrigin(make: (origin: string) => Dispatcher = (origin) => new Pool(origin)): Route {
  const pools = new Map<string, Dispatcher>();
  return (origin) => {
    let pool = pools.get(origin);
    if (pool) pools.delete(origin); // re-inserted below: the Map's order is the use order
    else {
      pool = make(origin);
      if (pools.size >= MAX_POOLS) {
        const [oldest, evicted] = pools.entries().next().value as [string, Dispatcher];
        pools.delete(oldest);
        void evicted.close().catch(() => undefined);
      }
    }
    pools.set(origin, pool);
    return pool;
  };
}

/**
 * The `proxy` option, checked here rather than with the other options: only this transport uses
 * it (browsers, Deno, Bun and a `fetch` of the caller's ignore it, as its TSDoc says), so the
 * browser bundle does not carry the check.
 */
function checkedProxy(value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value === 'string') {
    try {
      const { protocol } = new URL(value);
      if (protocol === 'http:' || protocol === 'https:') return value;
    } catch {
      // not a URL: the error below says what is expected
    }
  }
  throw new CovetonInputError('proxy', 'must be an http(s) URL or false');
}

function routeFor(option: string | false | undefined): Route {
  const proxy = checkedProxy(option);
  if (proxy === false) return poolPerOrigin();
  if (proxy) return renewableProxy(() => new ProxyAgent(proxy));
  // No proxy in the environment: no NO_PROXY matching per request.
  const env = process.env;
  const httpProxy = env.http_proxy || env.HTTP_PROXY || undefined;
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || undefined;
  if (!httpProxy && !httpsProxy) return poolPerOrigin();
  return renewableProxy(() => new EnvProxyRouter(httpProxy, httpsProxy, env.no_proxy || env.NO_PROXY || undefined));
}

/** Where the path starts in an absolute URL (after `scheme://host[:port]`). */
function split(url: string): [origin: string, path: string] {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash < 0 ? [url, '/'] : [url.slice(0, slash), url.slice(slash)];
}

/** A Send over undici: keep-alive connections per client and origin. */
export function undiciSend(options: Pick<ResolvedOptions, 'proxy'>): Send {
  const route = routeFor(options.proxy);
  return async (request, abort) => {
    const [origin, path] = split(request.url);
    // The headers are this attempt's own copy: set the encodings fetch would ask for, in place.
    const headers = request.headers;
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    // A source is streamed with its exact length; each attempt reads it anew.
    let body: string | Uint8Array | ReadableStream<Uint8Array> | null;
    // A Blob a slice at a time: its own stream() hands an in-memory Blob over as one whole copy.
    if (isSource(request.body)) {
      headers['content-length'] = String(request.body.size);
      body = request.body instanceof Blob ? blobSlices(request.body) : request.body.stream();
    } else body = request.body;
    const dispatcher = route(origin);
    const pending = dispatcher.request({ origin, path, method: request.method as Dispatcher.HttpMethod, headers, body: body as Dispatcher.DispatchOptions['body'], signal: abort as unknown as AbortSignal | undefined });
    // Through a proxy, a request that ignores its abort means a stuck dispatcher (./node-proxy.ts).
    const { stuck } = route;
    return new UndiciReply(await (stuck && abort ? settledOrStuck(pending, abort, () => stuck(dispatcher)) : pending));
  };
}
