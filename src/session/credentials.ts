// The SDK's own authenticators (the `Authenticator` interface of ../public/auth.ts): an API key,
// a static bearer token, and the session, which sends the signed-in user's access token
// (refreshed first when its `exp` is near) and falls back to the client's own credential
// while nobody is signed in. After a 401 `token_expired` the policy (../pipeline/policy.ts)
// asks for a renewal, and `renew` runs the shared single-flight refresh (./refresh.ts). Each
// declares its own secrets, which is all the redaction knows of them.
import { CovetonInputError } from '../errors/base.js';
import type { Refresher } from './refresh.js';
import type { Noting } from '../pipeline/attempt.js';
import type { Authenticator, AuthRequest } from '../public/auth.js';
import type { Logger } from '../public/logger.js';
import type { SessionTokens, TokenStore } from '../public/session.js';

/** A credential the caller put on the request (per-call `headers`) goes as it is. */
const carriesCredential = (headers: Record<string, string>) => 'authorization' in headers || 'x-api-key' in headers;

/**
 * An API key secret, as `Authorization: Bearer <key>` or as `X-API-Key`.
 * @example createCoveton({ auth: apiKeyAuth(process.env.MY_KEY!, { header: 'x-api-key' }) })
 */
export function apiKeyAuth(key: string, options: { header?: 'bearer' | 'x-api-key' | undefined } = {}): Authenticator {
  const name = options.header === 'x-api-key' ? 'x-api-key' : 'authorization';
  const value = name === 'authorization' ? `Bearer ${key}` : key;
  return {
    authenticate({ headers }) {
      if (!carriesCredential(headers)) headers[name] = value;
    },
    secrets: () => [key],
  };
}

/**
 * A token you obtained elsewhere (a service token, an access token you refresh yourself), sent
 * as `Authorization: Bearer <token>`. `token` may be a function, read for every request.
 * @example createCoveton({ auth: bearerAuth(() => vault.current('coveton')) })
 */
export function bearerAuth(token: string | (() => string)): Authenticator {
  const read = typeof token === 'function' ? token : () => token;
  return {
    authenticate({ headers }) {
      if (!carriesCredential(headers)) headers.authorization = `Bearer ${read()}`;
    },
    secrets: () => [read()],
  };
}

/** Waits for the shared refresh, but gives up as soon as this attempt's signal fires. */
function until<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The sign-ins and logouts this client wrote so far, and the pair it last knew (`Noting`). */
type Noted = [number, SessionTokens | undefined];

interface Watched {
  known(): SessionTokens | undefined;
  /** How many sign-ins and logouts this client wrote. */
  signIns(): number;
}

/**
 * The caller's token store, watched so that the session's current pair is known to the
 * redaction, and so that a session ended by another tab or process sharing the store is told
 * here too: `ended` is called when a read finds no pair where this client knew one and wrote
 * nothing since (there, a refresh was refused or the user signed out). Only the client whose
 * refresh is refused ends the session itself (./rotate.ts `end`); without this, every other
 * client on the store went on without a session and its `onSessionExpired` never heard.
 */
export function watchedStore(store: TokenStore, ended: () => void): TokenStore & Watched {
  let known: SessionTokens | undefined;
  let signIns = 0;
  /** Writes through this client: a read answered after one is older than what it wrote. */
  let writes = 0;
  const seen = (tokens: SessionTokens | undefined, at: number) => {
    if (at !== writes) return tokens;
    if (known?.refreshToken && !tokens) ended();
    return (known = tokens);
  };
  // set: only a sign-in or logout writes without `replaces` (a refresh names the pair it
  // replaces). A refresh whose pair this client replaced meanwhile (a sign-in or logout through
  // it) is superseded here, whatever the store does with `replaces` (one that ignores it would
  // take the old session's pair over the sign-in, or its end over the new user's pair).
  return {
    get: () => {
      const at = writes;
      const stored = store.get();
      return stored instanceof Promise ? stored.then((tokens) => seen(tokens, at)) : seen(stored, at);
    },
    set: async (tokens, replaces) =>
      replaces !== undefined && known && known.refreshToken !== replaces ? false : ((known = tokens), writes++, replaces ?? signIns++, store.set(tokens, replaces)),
    ...(store.lock ? { lock: store.lock.bind(store) } : {}),
    ...(store.claim ? { claim: store.claim.bind(store) } : {}),
    ...(store.unclaim ? { unclaim: store.unclaim.bind(store) } : {}),
    known: () => known,
    signIns: () => signIns,
  };
}

/**
 * The session's access token while a user is signed in, else `fallback` (the API key, or the
 * caller's own authenticator). A public operation never carries the session (its refresh
 * token would ride along with a login), but the client's own credential goes as usual.
 */
export function sessionAuth(refresher: Refresher, { known, signIns }: Watched, fallback: Authenticator | undefined, logger: Logger): Noting {
  let warned = false;
  /**
   * The fallback's secrets, as a list: every secret the redaction knows of a caller's own
   * authenticator is read here. One string is one secret: spread, it was its characters, each
   * too short to hide, and the secret itself went out whole in errors, log lines and hook
   * events (hostile review #2). Anything else that is no array of strings is refused, by shape only,
   * as is a secret too short to redact (under 4 characters: ../util/redact.ts).
   */
  const declared = (): readonly (string | undefined)[] => {
    const list: unknown[] = [fallback?.secrets() ?? []].flat();
    if (list.some((s) => s != null && (typeof s != 'string' || (s && s.length < 4)))) throw new CovetonInputError('auth', 'secrets() must return an array of strings, none of 1-3 characters');
    return list as string[];
  };
  /**
   * The lineage of each access token the session sent (the sign-in its pair descends from),
   * the last 32: a request is renewed only within the lineage it was sent with. An older one
   * is not renewed, and fails with its 401. Each stays a secret while remembered: a call pinned
   * to it (../pipeline/attempt.ts `Pin`) may send it after another user signed in.
   */
  const sent = new Map<string, string | number>();
  /**
   * What `sent` keeps of a pair: its lineage, or for a pair without one (a store that keeps only
   * the tokens, an earlier version's pair) the count of sign-ins and logouts this client wrote,
   * so that one through this client still tells the sessions apart (a switch in another process
   * on such a store is not seen: nothing in the pair shows it).
   */
  const mark = (tokens: SessionTokens) => tokens.lineage ?? signIns();
  /**
   * `again`: the token a later attempt is pinned to (one the session sent). While its session
   * (lineage) is the store's, the current pair goes, refreshed when near expiry as for any call:
   * a walk outlives its first page's token, and that stale token would cost a 401 and a renewal
   * on every page. Once another sign-in's pair (or none) is, the pinned token goes again.
   * `since`: a first attempt that waited for its rate-limit turn goes as it would have gone
   * when made, never as whoever signed in meanwhile. Made as a user, it fails unsent once this
   * client signed in or out, or once the store holds another sign-in's pair or none (another
   * tab); made with no session, it goes with the client's own credential once this client
   * signed in (a store not yet read when it was made holds no session for it). A stored pair
   * without a lineage is taken as the noted one's session: a store that keeps only the tokens
   * reads a sign-in's pair back without the lineage this client noted when it wrote it.
   */
  const withTokens = (tokens: SessionTokens | undefined, request: AuthRequest, again?: string, since?: Noted) => {
    const [signed, was] = since ?? [];
    if (signed! < signIns() || (was && (!tokens || (tokens.lineage && tokens.lineage !== was.lineage)))) {
      if (was) return refresher.ended();
      tokens = undefined;
    }
    const pinned = sent.get(again!);
    let now = tokens ? mark(tokens) : undefined;
    if (again != null && (!tokens || now !== pinned)) (tokens = { accessToken: again } as SessionTokens), (now = pinned);
    if (tokens) {
      // Set again, a key keeps its place: the oldest token goes first.
      if (sent.set(tokens.accessToken, now!).size > 32) sent.delete(sent.keys().next().value!);
      request.headers.authorization = `Bearer ${tokens.accessToken}`;
      return tokens.accessToken;
    }
    if (fallback) return fallback.authenticate(request);
    if (!warned) {
      warned = true;
      logger.warn('no credential: pass apiKey or sign in with session.login()');
    }
    return undefined;
  };
  // `note` is called when a call starts to wait for its rate-limit turn (../pipeline/attempt.ts `Noting`).
  return {
    note: (): Noted => [signIns(), known()],
    authenticate(request) {
      if (carriesCredential(request.headers)) return undefined;
      if (request.public) return fallback?.authenticate(request);
      // A later attempt of a call or operation (a retry, a followed redirect, a walk's next
      // page) goes as its first went, never as whoever signed in meanwhile: within the same
      // session, or with the client's own credential, asked again (a signature is made afresh).
      // Only a token the session sent counts as the session's (a fallback may return anything).
      const again = request.credential;
      if (again != null && !sent.has(again)) return withTokens(undefined, request);
      // What was noted if the first attempt waited for its rate-limit turn (`note`).
      const since = again == null ? (request as { since?: Noted }).since : undefined;
      const tokens = refresher.current();
      if (tokens instanceof Promise) return until(tokens, request.signal).then((t) => withTokens(t, request, again, since));
      return withTokens(tokens, request, again, since);
    },
    async renew(stale, request) {
      // After a 401 session_revoked (the session was ended elsewhere) the one refresh only
      // confirms the end, and only of the pair the request carried if the store still holds it
      // (./rotate.ts `exchange`): the request is never sent again, and a fallback authenticator
      // is asked only after token_expired, as its contract says (../public/auth.ts).
      const revoked = (request as { reason?: string }).reason === 'session_revoked';
      // A credential the session did not send, or no session now (signed out while the request
      // was out): the fallback renews a credential it gave, never one the session gave.
      if (!known() || !sent.has(stale)) return !revoked && declared().includes(stale) ? fallback!.renew?.(stale, request) : false;
      const was = sent.get(stale);
      // A pair without a lineage sent before a sign-in or logout through this client: not the store's session.
      if (typeof was == 'number' && was !== signIns()) return false;
      const tokens = await until(refresher.refresh(stale, was, revoked), request.signal);
      // Sent again only with a pair refreshed from the one it carried: never another sign-in's
      // (user B signed in meanwhile, here or in another process on the store).
      if (revoked || !tokens || mark(tokens) !== was) return false;
      request.headers.authorization = `Bearer ${tokens.accessToken}`;
    },
    secrets: () => {
      const tokens = known();
      return [tokens?.accessToken, tokens?.refreshToken, ...sent.keys(), ...declared()];
    },
  };
}
