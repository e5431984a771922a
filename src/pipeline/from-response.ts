// The one place a response becomes a typed API error. The pipeline calls it (src/pipeline/
// outcome.ts) and nothing else does; everything the server wrote goes through redaction here:
// the body's text fully, the headers for known secrets; and so does what an authenticator threw,
// a CovetonError (scrub), loaded for it on first use.
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
 * What an authenticator threw, a CovetonError (outcome.ts authenticatorError), with every string
 * it holds redacted, in place: its message, stack, fields and cause, and theirs (an API error's
 * body and its details; its headers replaced by a copy, hidden as `hidden` above). Its class
 * stays; what holds no secret is not written (a Headers field always is, by its copy), so a
 * getter-only field (a DOMException's message) without one is fine. One with a secret, or a
 * cycle, throws: authenticatorError then tells the type only.
 * In place, not a copy, on purpose: the thrown error was handed to the SDK, and the caller's
 * catch gets that same object back (`e === thrown`), its private fields (#x), internal slots and
 * methods working, which no copy of an unknown class can promise. The cost: an object the error
 * shares with the caller's code (a config in one of its fields) has its secret written over too.
 */
export function scrub(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value == 'string') return redact(value, secrets);
  // A Headers has no own keys to walk: hidden as this module hides an API error's own, in a copy
  // that replaces the field (a Headers may be a Response's, immutable, or still read by the caller).
  if (value instanceof Headers) return hidden(value, secrets);
  if (value instanceof Object) {
    const fields = value as Record<string, unknown>;
    for (const name of [...Object.keys(value), 'message', 'stack', 'cause']) {
      const clean = scrub(fields[name], secrets);
      if (clean !== fields[name]) fields[name] = clean;
    }
  }
  return value;
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
