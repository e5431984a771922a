// How API requests are authenticated: the interface every credential implements, the SDK's own
// (API key, static bearer token, the refreshing session) and any a user brings (`auth` option).

/** One attempt of an API request, as an authenticator sees it. */
export interface AuthRequest {
  readonly method: string;
  /** The whole URL, query string included (a signature may cover it). */
  readonly url: string;
  /** The attempt's headers, names in lower case: set the credential here. */
  readonly headers: Record<string, string>;
  /** The body as it is sent: JSON text, bytes, or null. */
  readonly body: string | Uint8Array | null;
  /** The operation needs no user credential (sign-in, the token refresh: `security: []` in the spec). */
  readonly public: boolean;
  /**
   * On a later attempt of the same call (a retry after a transient failure, a followed
   * redirect) or of the same operation (a file transfer presigned again, a list walk's next
   * page): what `authenticate` resolved to on the earlier one (the last that asked it; a renewal
   * does not change it), `''` if nothing. Send the same principal's credential again, a rotated
   * or refreshed one if it has changed: the server may have run the first attempt as it.
   */
  readonly credential?: string | undefined;
  /** Fires when the attempt is given up (its timeout, the deadline, the caller's abort): stop waiting then. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Authenticates API requests (never presigned storage URLs, which carry their own signature).
 * A new scheme (request signing, OAuth client credentials) is one object with this shape,
 * given as `createCoveton({ auth })`.
 * @example
 * const auth: Authenticator = {
 *   authenticate: (request) => void (request.headers['x-signature'] = sign(secret, request)),
 *   secrets: () => [secret],
 * };
 */
export interface Authenticator {
  /**
   * Sets the credential of one attempt on `request.headers`; may be async. Resolves to a string
   * only for a credential that `renew` can replace (a session's access token). What it throws
   * (or `renew` throws) fails the call, unsent, as an `AuthenticatorError` with a redacted message
   * (a `CovetonError`: as itself, redacted).
   */
  authenticate(request: AuthRequest): void | string | Promise<void | string>;
  /**
   * Every secret this authenticator holds right now (keys, tokens, signing secrets). Each is
   * replaced by `[REDACTED]` wherever it would appear in an error message, a log line or a hook
   * event. Called each time something is redacted, so a rotating token is always covered.
   * One string on its own is taken as one secret; any other shape that is no array of strings,
   * or a secret under 4 characters (too short to redact), fails the call that read it with a
   * `CovetonInputError` (`auth`).
   */
  secrets(): readonly (string | undefined)[];
  /**
   * Optional. The server answered 401 `token_expired` to an attempt whose `authenticate`
   * resolved to `credential`: get a fresh one and set it on `request.headers`. The request is
   * sent once more with those headers, and later attempts of the call keep them. Resolve
   * `false` when there is none for this request: it is not sent again and fails with the 401.
   */
  renew?(credential: string, request: AuthRequest): Promise<void | false>;
}
