// What a handler returns, and the API's error envelope (API brief, "Errors"): every 4xx and 5xx
// body is `{ error: { code, message, details?, reason?, requestId? } }`.
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'BAD_REQUEST',
  409: 'CONFLICT',
  413: 'BAD_REQUEST',
  415: 'BAD_REQUEST',
  422: 'VALIDATION',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
};

/** A thrown API error: handlers throw it, the pipeline turns it into the envelope. */
export class MockHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { reason?: string; details?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export function errorReply(
  status: number,
  message: string,
  requestId: string,
  extra: MockHttpError['extra'] = {},
): Reply {
  // The contract bounds messages (Error.message 4000, ValidationIssue.message 1000 characters).
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const error: Record<string, unknown> = { code: CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), message: clip(message, 4000) };
  if (extra.details) error.details = extra.details.slice(0, 100).map((d) => ({ path: clip(d.path, 1000), message: clip(d.message, 1000) }));
  if (extra.reason) error.reason = extra.reason;
  error.requestId = requestId;
  return { status, body: { error }, headers: extra.headers };
}

export const notFound = (what: string, id: string) => new MockHttpError(404, `No ${what} with id ${id}.`);
export const forbidden = (reason: string, message: string) => new MockHttpError(403, message, { reason });
export const unauthorized = (reason: string, message: string) => new MockHttpError(401, message, { reason });
export const conflict = (message: string) => new MockHttpError(409, message);
