// The two values that cross the bottom hop of the pipeline: the request going down (an
// `Outgoing`, re-sendable because its body is text, bytes, or a source each attempt reads
// afresh) and the answer coming
// up (a `Reply`, whose body is read at most once, by the pipeline, under the attempt's timer).
// Neither is a fetch `Request`/`Response`: the Node transport never builds one.
import type { UploadSource } from '../public/files.js';

export interface Outgoing {
  url: string;
  method: string;
  /** Header names in lower case. A plain object: copied per attempt, it costs less than a Headers. */
  headers: Record<string, string>;
  /** Text, bytes, or a source each attempt streams anew (its `size` is the Content-Length). */
  body: string | Uint8Array | UploadSource | null;
}

/** Whether a body is a re-readable source (a Blob included) rather than text or bytes. */
export function isSource(body: Outgoing['body']): body is UploadSource {
  return body !== null && typeof body === 'object' && !(body instanceof Uint8Array);
}

/** What the pipeline needs of response headers: `Headers` has it, and so does a plain record. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** One answer from the bottom hop, its body not yet read. */
export interface Reply {
  status: number;
  statusText: string;
  headers: HeaderReader;
  /** The body, at most `limit` bytes (decoded); past it the read fails with `BodyTooLargeError`. */
  text(limit: number): Promise<string>;
  bytes(limit: number): Promise<Uint8Array>;
  /** The body as a web stream; the caller reads it or cancels it. */
  stream(): ReadableStream<Uint8Array> | null;
  /** Drops the body unread (a retry or a redirect will not look at it). */
  discard(): void;
  /** The headers as a `Headers` object, built when asked for (errors, the raw client). */
  toHeaders(): Headers;
}

/**
 * What aborts one send: undici takes it as it is (it has the listeners undici asks for), and
 * `signal` makes a real AbortSignal that follows it, on first use, for fetch. An AbortSignal is
 * an EventTarget, much of what a fast local call costs: undici's path never makes one.
 */
export interface AbortSource {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  readonly signal: AbortSignal;
  /**
   * The same, for the transport's own request only, which must not keep it once the attempt has
   * ended: the signal may then be lent to a later send (../pipeline/signal.ts).
   */
  readonly sendSignal: AbortSignal;
}

/** Sends one attempt. */
export type Send = (request: Outgoing, abort: AbortSource | undefined) => Promise<Reply>;

/** Any headers as a plain object with lower-case names. */
export function lowerCaseHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // A plain record is copied as is, so that a bad value reaches the pipeline's check (a typed
  // error naming the header) instead of failing inside `new Headers()`.
  if (typeof headers === 'object' && !Array.isArray(headers) && !(typeof Headers !== 'undefined' && headers instanceof Headers)) {
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
    return out;
  }
  new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

/** JSON when it parses, else the raw text, else undefined: what an error body may be. */
export function parseBody(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Statuses whose answer has no body by definition (a Response refuses one). */
export const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
