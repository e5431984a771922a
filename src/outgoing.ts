// A request as the pipeline sees it. Unlike a `Request`, it can be sent again: its body is
// already text or bytes, so every retry and the resend after a token refresh carry it intact,
// and no stream is teed or copied on the way.

export interface Outgoing {
  url: string;
  method: string;
  /** Header names in lower case. A plain object: copied per attempt, it costs less than a Headers. */
  headers: Record<string, string>;
  body: string | Uint8Array | ArrayBuffer | null;
  redirect: RequestRedirect;
  /** A public operation (login, refresh, logout...): no session token goes with it. */
  anonymous?: boolean;
}

/** A response, with its body already read under the attempt's timer (unless streaming). */
export interface Received {
  response: Response;
  /** The body as text (the default read); undefined for the other reads and bodiless statuses. */
  text?: string | undefined;
  /** The body as bytes, with `read: 'bytes'`. */
  bytes?: Uint8Array | undefined;
}

/** Sends one attempt; per-attempt layers wrap it. */
export type Send = (request: Outgoing, signal: AbortSignal | undefined) => Promise<Response>;

/** A per-attempt layer: sets credentials, headers, or re-sends once after a refresh. */
export type Layer = (next: Send) => Send;

export async function fromRequest(request: Request): Promise<Outgoing> {
  return {
    url: request.url,
    method: request.method,
    headers: lowerCaseHeaders(request.headers),
    body: request.body === null ? null : await request.arrayBuffer(),
    redirect: request.redirect,
  };
}

/** Any headers as a plain object with lower-case names. */
export function lowerCaseHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

/** Turns a received answer back into a Response, for callers that want one (openapi-fetch). */
export function toResponse({ response, text }: Received): Response {
  if (text === undefined) return response;
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
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
