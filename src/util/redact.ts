// Secrets never reach an error message, toJSON() or a log line. Known secrets (the configured
// key and tokens) are replaced wherever they appear; anything shaped like a Coveton secret, a
// JWT or a bearer credential is replaced too, because a server or a proxy may echo one back.
//
// Server text is hostile input: it is cut to MAX_REDACTED_CHARS before the patterns run, and
// every pattern below matches in linear time. A pattern that can fail after scanning a long run
// (e.g. "eyJ" then no second dot) is quadratic when a server repeats its prefix, so the JWT and
// URL patterns always succeed on the whole run and the replacer decides what to hide.

/** The most characters of one message the SDK keeps; the rest is dropped, never scanned. */
export const MAX_REDACTED_CHARS = 4096;

export const REDACTED = '[REDACTED]';

const SECRET_SHAPES: RegExp[] = [
  /\bak_(?:live|test)_[A-Za-z0-9]+/g, // API key secrets (API brief: ak_live_ / ak_test_)
  /\brt_[A-Za-z0-9]{16,}/g, // refresh tokens
];

// A JWT is three base64url parts; the match takes the whole run (up to two dots) and only a run
// with three parts is hidden, so no start position is scanned twice.
const JWT_RUN = /\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g;
const isJwt = (run: string) => /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./.test(run);

// No credential holds a '<' (base64url, JWTs, `ak_` keys): `Bearer <token>` is a placeholder, the
// API's own hint in its 401 messages, and is left whole.
const BEARER = /(Bearer\s+)[^\s,;"'<]+/gi;

const SENSITIVE_QUERY = /([?&](?:token|access_token|refresh_token|api_key|apikey|key|code|signature|x-signature|sig)=)[^&#\s]*/gi;

// Any full URL, its query optional: matching always succeeds, so a long run of "http://" with no
// "?" is read once.
const FULL_URL = /(https?:\/\/[^\s?#'"<>]*)(\?[^\s'"<>]*)?/gi;

// Where a token ends: a cut is moved back to one of these so that no secret is left half-shown.
const BREAK = /[\s,;"'<>()[\]{}]/;

/** At most MAX_REDACTED_CHARS, cut where a token ends, with a note saying how much was dropped. */
function bound(text: string): string {
  if (text.length <= MAX_REDACTED_CHARS) return text;
  let end = MAX_REDACTED_CHARS;
  while (end > 0 && !BREAK.test(text[end - 1]!)) end--; // at most MAX_REDACTED_CHARS steps
  return `${text.slice(0, end)}... [${text.length - end} characters dropped]`;
}

/** Replaces the given secrets and anything secret-shaped in `text`, which it also bounds. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  // Known secrets first, on the whole text (a linear search each), so that the cut below can
  // never leave part of one behind.
  return hideShapes(bound(hideSecrets(String(text), secrets)));
}

/** The given secrets replaced, and nothing else: for data whose secret-shaped values are the result (a new key). */
export function hideSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The pattern pass alone, on text of any length: linear, so safe even before the cut. */
export function hideShapes(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(JWT_RUN, (run) => (isJwt(run) ? REDACTED : run));
  out = out.replace(BEARER, `$1${REDACTED}`);
  // Any full URL keeps its origin and path only: presigned URLs carry their credentials in the
  // query string (X-Amz-Signature, X-Signature...), OAuth callbacks carry a one-time code.
  out = out.replace(FULL_URL, (run, base: string, query: string | undefined) => (query === undefined ? run : `${base}?${REDACTED}`));
  return out.replace(SENSITIVE_QUERY, `$1${REDACTED}`);
}

/** A URL reduced to what is safe to show: origin and path, no query string or credentials. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return redact(url.split('?')[0] ?? '');
  }
}
