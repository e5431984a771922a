// Secrets never reach an error message, toJSON() or a log line. Known secrets (the configured
// key and tokens) are replaced wherever they appear; anything shaped like a Coveton secret, a
// JWT or a bearer credential is replaced too, because a server or a proxy may echo one back.

const SECRET_SHAPES: RegExp[] = [
  /\bak_(?:live|test)_[A-Za-z0-9]+/g, // API key secrets (API brief: ak_live_ / ak_test_)
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWTs
  /\brt_[A-Za-z0-9]{16,}/g, // refresh tokens
  /(Bearer\s+)[^\s,;"']+/gi,
];

const SENSITIVE_QUERY = /([?&](?:token|access_token|refresh_token|api_key|apikey|key|code|signature|x-signature|sig)=)[^&#\s]*/gi;

const FULL_URL_QUERY = /(https?:\/\/[^\s?#'"<>]+)\?[^\s'"<>]*/gi;

export const REDACTED = '[REDACTED]';

/** Replaces the given secrets and anything secret-shaped in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const shape of SECRET_SHAPES) {
    out = out.replace(shape, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  // Any full URL keeps its origin and path only: presigned URLs carry their credentials in the
  // query string (X-Amz-Signature, X-Signature...), OAuth callbacks carry a one-time code.
  return out.replace(FULL_URL_QUERY, `$1?${REDACTED}`).replace(SENSITIVE_QUERY, `$1${REDACTED}`);
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
