// The one place a response becomes a typed API error. The pipeline calls it (src/pipeline/
// outcome.ts) and nothing else does; everything the server wrote goes through redaction here:
// the body's text fully, the headers for known secrets.
import type { HeaderReader } from '../transport/outgoing.js';
import { hideSecrets, redact } from '../util/redact.js';
import { readFacts } from './rate-limit/headers.js';
import type { APIError, ErrorEnvelope } from '../errors/api-error.js';
import { classOf, codeForStatus, knownCode } from '../errors/codes.js';

export interface ErrorContext {
  /** `METHOD /path/template`, never with a query string. */
  endpoint: string;
  /** Secrets to scrub from whatever the server put in the body. */
  secrets: readonly (string | undefined)[];
}

function envelopeOf(body: unknown): Partial<ErrorEnvelope> | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const inner = (body as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null ? (inner as Partial<ErrorEnvelope>) : undefined;
}

/** What a non-envelope body was, in words, without echoing it (a proxy page may hold anything). */
function describeForeignBody(body: unknown, headers: HeaderReader): string {
  const type = headers.get('content-type')?.split(';')[0]?.trim();
  if (body === undefined || body === null || body === '') return 'the response had an empty body';
  if (typeof body === 'string') {
    const kind = /^\s*</.test(body) ? 'an HTML page' : type === 'application/json' ? 'malformed JSON' : 'a non-JSON body';
    return `the response was ${kind}${type ? ` (${type})` : ''}, ${body.length} characters, not the API's error envelope`;
  }
  return "the response JSON was not the API's error envelope";
}

/**
 * The response's headers with every known secret (the key, the tokens, what an authenticator
 * declares) hidden, values otherwise as sent. A server or proxy that echoes the credential in
 * a header would hand it to an `onRetry` hook, whose `cause` is this error, and to whoever
 * logs `error.headers` (hostile review #11). Only known secrets: the pattern pass would
 * rewrite every URL with a query (a `Link`, a `Location`).
 */
function hidden(headers: Headers, secrets: readonly (string | undefined)[]): Headers {
  const out = new Headers();
  headers.forEach((value, name) => out.append(name, hideSecrets(value, secrets)));
  return out;
}

/**
 * Builds the typed error for a 4xx/5xx. `body` is what the pipeline parsed: the envelope
 * object, raw text (an HTML page, broken JSON), or nothing.
 */
export function errorFromResponse(
  reply: { status: number; statusText: string; headers: HeaderReader; toHeaders(): Headers },
  body: unknown,
  context: ErrorContext,
): APIError {
  const { status, statusText, headers } = reply;
  const clean = (value: unknown) => (typeof value === 'string' ? redact(value, context.secrets) : undefined);
  const envelope = envelopeOf(body);
  const known = knownCode(envelope?.code);
  const code = known ?? codeForStatus(status);
  const serverMessage = clean(envelope?.message);
  // The reason phrase is the server's text as much as the body is (fetch passes it on as sent).
  const phrase = clean(statusText);
  const message = serverMessage ?? `HTTP ${status}${phrase ? ` ${phrase}` : ''}; ${describeForeignBody(body, headers)}`;
  const details = Array.isArray(envelope?.details)
    ? envelope.details.map((d) => ({ path: clean(String(d?.path)) ?? '', message: clean(String(d?.message)) ?? '' }))
    : undefined;
  const requestId = clean(envelope?.requestId) ?? clean(headers.get('x-request-id'));
  const reason = clean(envelope?.reason) as ErrorEnvelope['reason'];
  const Class = classOf(code);
  const facts = readFacts(headers);
  return new Class({
    status,
    code,
    message,
    headers: hidden(reply.toHeaders(), context.secrets),
    requestId,
    reason,
    details,
    rateLimit: facts.rateLimit,
    retryAfterMs: facts.retryAfterMs,
    endpoint: context.endpoint,
    body: envelope
      ? ({
          ...(known ? { code: known } : {}),
          message: serverMessage ?? '',
          ...(reason !== undefined ? { reason } : {}),
          ...(details ? { details } : {}),
          ...(requestId !== undefined ? { requestId } : {}),
        } as ErrorEnvelope)
      : undefined,
  });
}
