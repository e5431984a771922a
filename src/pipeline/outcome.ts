// The one place a failed call becomes the error it throws: an HTTP answer becomes the typed
// API error (./from-response.ts, redacted there), a failure to get one becomes the
// connection, timeout or abort error. The loop calls these for the final outcome and for the
// cause it shows `onRetry`; nothing else in the SDK builds an API error. The builder and the
// error classes load on the first error response: a call that never fails needs none of them.
import { AuthenticatorError } from '../errors/auth.js';
import { CovetonError, errorName } from '../errors/base.js';
import { ChunkLoadError } from '../errors/load.js';
import { isDecryptFailure } from '../errors/store.js';
import { loadOnce } from '../util/lazy.js';
import { APIConnectionError, APITimeoutError, APIUserAbortError, RedirectError } from '../errors/transport.js';
import { redact } from '../util/redact.js';
import type { Answer } from './attempt.js';

export type Failed = { answer: Answer; error?: undefined } | { answer?: undefined; error: CovetonError };

/** The API error builder (./from-response.ts), loaded on the first error response, or by the raw client before it sends. */
export const builder = loadOnce('API errors', () => import('./from-response.js'));

export async function failure(failed: Failed, endpoint: string, secrets: readonly (string | undefined)[]): Promise<CovetonError> {
  if (failed.error) return failed.error;
  const { reply, errorBody } = failed.answer;
  return (await builder()).errorFromResponse(reply, errorBody, { endpoint, secrets });
}

/** A redirect the policy refused. The Location is the server's text: an echoed key or token in its path is redacted. */
export function refusedRedirect(status: number, location: string, endpoint: string, why: string, secrets: readonly (string | undefined)[]): RedirectError {
  return new RedirectError(status, redact(location, secrets), endpoint, why);
}

/**
 * What an authenticator (`authenticate` or `renew`) threw: the SDK's own errors as they are (the
 * session's end, a token store's failure, the attempt's timeout or abort while it waited, and a
 * stored pair that would not open, which another copy of the SDK may have thrown: told as
 * ../session/refresh.ts tells it), anything else an AuthenticatorError whose message is the
 * thrown value's name and message, redacted. The value itself is not kept: its message, stack
 * or fields may hold the secret it failed on (hostile review #5). A value that throws when read
 * is named by its type only. A CovetonError is redacted by the API errors' builder, loaded
 * for it: one that does not load is the call's ChunkLoadError, as for an error response.
 */
export async function authenticatorError(error: unknown, secrets: readonly (string | undefined)[]): Promise<CovetonError> {
  const failed = 'The authenticator failed: ';
  // Reading the value may throw too (a `message` or `name` getter, a Proxy), with the secret in
  // what it throws: then only its type is told (hostile review M4).
  try {
    // A caller's CovetonError subclass went out as thrown, the key in its message (review of b36f42d).
    // The redaction (from-response.ts scrub) is the API errors' builder's, loaded here on first use:
    // its headers rule is that module's, and the bytes are not in every bundle up front.
    if (error instanceof CovetonError || isDecryptFailure(error)) return (await builder()).scrub(error, secrets) as CovetonError;
    const message = (error as { message?: unknown })?.message;
    return new AuthenticatorError(redact(`${failed}${errorName(error)}${typeof message === 'string' ? `: ${message}` : ''}`, secrets));
  } catch (thrown) {
    // The builder not loaded: the call fails as any call whose part did not load (nothing sent).
    return thrown instanceof ChunkLoadError ? thrown : new AuthenticatorError(failed + typeof error);
  }
}

/** `host:port` of a URL, never its path, query or userinfo. */
function hostPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return 'the server';
  }
}

/** A network failure, timeout or abort, as the typed error. */
export function connectionError(
  error: unknown,
  why: 'caller' | 'attempt' | 'deadline' | undefined,
  url: string,
  limits: { timeout: number; deadline: number },
  secrets: readonly (string | undefined)[],
): CovetonError {
  if (why) return why === 'caller' ? new APIUserAbortError({ cause: error }) : new APITimeoutError(why, limits[why === 'attempt' ? 'timeout' : why]);
  if (error instanceof CovetonError) return error;
  const e = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : undefined;
  // fetch reports network failures as TypeError (undici adds the system error as `cause`);
  // other fetches (node-fetch) and undici's dispatcher set a `code`. Anything else came from
  // code of ours or the caller's, and repeating the request will not mend it.
  // undici's dispatcher reports a response it cannot parse (a bad status line, an invalid
  // Content-Length) as an HTTPParserError, often without a code: the same failure fetch reports
  // as a TypeError, so the same APIConnectionError on both transports.
  if (error instanceof TypeError || code !== undefined || (error as Error)?.name === 'HTTPParserError') {
    return new APIConnectionError(`Connection to ${hostPort(url)} failed (${code ?? 'network error'}).`, { cause: error, code });
  }
  const message = redact(typeof e?.message === 'string' ? e.message : String(error), secrets);
  return new CovetonError(`The request failed before an answer came: ${message}`, { cause: error });
}
