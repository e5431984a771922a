// The refresh itself, loaded on the first refresh (./refresh.ts holds the reads every request
// makes, and imports this file with `import()`: a client that only ever sends an API key never
// carries it). One `POST /auth/refresh` for the refresh token in the store; the new pair reaches
// `onTokens` and the store before anyone uses it; a refresh token that was spent, or may have
// been, is never sent again (seed 002: a replayed one revokes the whole family), and the session
// ends instead. With a shared store the lock makes it one refresh for the fleet, and `claim`
// keeps a token a dead lock holder may have spent from being sent by the next one.
import { APIError } from '../errors/api-error.js';
import { CovetonError, errorName } from '../errors/base.js';
import { isDecryptFailure, TokenStoreError } from '../errors/store.js';
import { APIConnectionError, neverReachedServer } from '../errors/transport.js';
import { didNothing } from '../pipeline/policy.js';
import { SessionExpiredError } from '../errors/session.js';
import { bounded } from './bounded.js';
import { refreshExchange } from './exchange.js';
import { tell } from './tell.js';
import { isTokenPair } from './tokens.js';
import type { Refresher, RefreshState } from './refresh.js';
import type { SessionTokens } from '../public/session.js';

/** A rejection that means the refresh token is dead, not that the network hiccuped. */
function isFinal(error: unknown): error is APIError {
  return error instanceof APIError && [400, 401, 403, 404, 422].includes(error.status);
}

/**
 * Refresh tokens remembered as spent. A server whose pairs expire within the refresh margin has
 * every call refresh, so the set would grow by one per call for the life of the client; past
 * the cap the oldest is forgotten. It could matter again only if the store kept handing back a
 * pair that old, its writes failing through a thousand refreshes in a row.
 */
export const MAX_SPENT = 1_000;

/** Marks `token` spent, forgetting the oldest past {@link MAX_SPENT}. */
export function spend(spent: Set<string>, token: string): void {
  spent.add(token);
  if (spent.size > MAX_SPENT) spent.delete(spent.values().next().value!);
}

/** A failure after which the server may or may not have spent the token (the request left). */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof APIConnectionError && !neverReachedServer(error);
}

/**
 * The request provably spent nothing (the pipeline's `didNothing`: never reached the server, or
 * refused before it ran, 408 or 429). The token may be sent again, by this process and, its
 * claim taken back, by the next lock holder.
 */
function nothingSpent(error: unknown): boolean {
  return didNothing(error instanceof APIError ? error.status : undefined, error);
}

/** The server answered 2xx (it took the token) but the answer was unusable: not JSON, not a pair. */
function answeredUnusably(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 200 && status < 300;
}

/**
 * The refresh of a refresher's state: `refresh(stale, lineage)` runs one, single-flight, within
 * `lineage`: that of the pair `stale` came with.
 */
export function rotation(state: RefreshState): Pick<Refresher, 'refresh' | 'ended' | 'endedElsewhere'> {
  const { options } = state;
  const { store, storeTimeout, logger } = options;
  const send = refreshExchange(options.pipeline, options.baseUrl);

  /** A pair the store failed to take (Redis down right after a refresh): stored again on a later read. */
  let unsaved: SessionTokens | undefined;
  let saving = false;

  /**
   * Stores a new pair (`replaces`: the refresh token claimed for it); one the store fails to take
   * is kept and stored again on a later read. False: the store wrote nothing, the pair it replaces
   * having been replaced meanwhile.
   */
  async function save(tokens: SessionTokens, replaces: string): Promise<boolean | void> {
    saving = true;
    // Taken back by a failure (below); nobody reads it while `saving`.
    if (unsaved === tokens) unsaved = undefined;
    try {
      return await bounded(store.set(tokens, replaces), 'set', storeTimeout);
    } catch (error) {
      unsaved = tokens;
      logger.error('the token store did not take the new pair; it is kept in memory and stored again later', {
        error: errorName(error),
      });
    } finally {
      saving = false;
    }
  }
  // A read that finds the store holding a spent pair: named as replacing it, so that a sign-in
  // landed meanwhile stays.
  state.resave = (replaces) => {
    if (unsaved && unsaved === state.latest && !saving) void save(unsaved, replaces);
  };

  /**
   * What the store holds once it answered a write false: a pair this client spent (its write
   * failed: the store still has what it replaced, or an older pair), a pair nobody here spent
   * (a sign-in's: the write was superseded), none (a logout), or it could not be read.
   */
  async function holds(): Promise<'spent' | 'fresh' | 'none' | 'unread'> {
    try {
      const now = await bounded(store.get(), 'get', storeTimeout);
      return !isTokenPair(now) ? 'none' : state.spent.has(now.refreshToken) ? 'spent' : 'fresh';
    } catch {
      return 'unread';
    }
  }

  /** Ends the session; `replaces`: the refresh token of the pair it ends (the store's claim, if it holds one). */
  async function end(replaces: string, message: string, reason?: string, cause?: unknown): Promise<never> {
    const expired = new SessionExpiredError(message, reason, { cause });
    state.latest = undefined;
    let landed: unknown;
    try {
      landed = await bounded(store.set(undefined, replaces), 'set', storeTimeout);
    } catch {
      logger.error('the token store did not take the end of the session');
    }
    // A store holding a pair nobody here spent (a sign-in meanwhile) keeps that session: only
    // the requests that waited on this one fail, and the application is not told to sign in.
    if (landed !== false || (await holds()) !== 'fresh') options.onSessionExpired?.(expired);
    throw expired;
  }

  /** `confirm`: only the end of `stale`'s pair is in question (a 401 session_revoked): no other pair is refreshed for it. */
  async function exchange(stale: string, lineage: string | undefined, confirm?: boolean): Promise<SessionTokens | undefined> {
    const { spent } = state;
    // Read again under the lock: another request, tab or process may have refreshed meanwhile.
    const tokens = await state.read();
    if (!tokens) throw new SessionExpiredError('There is no session: sign in first.', undefined);
    // Another sign-in's pair (here, or another process's on the store) is not this request's to
    // refresh or end: it is handed back as it is, and a renewal (./credentials.ts) does not send
    // its request again with it. A pair someone refreshed from ours kept our lineage.
    if (tokens.lineage !== lineage) return tokens;
    const ends = end.bind(undefined, tokens.refreshToken);
    if (tokens.accessToken !== stale && (confirm || !state.nearExpiry(tokens))) return tokens;
    if (store.claim && !(await bounded(store.claim(tokens.refreshToken), 'claim', storeTimeout))) {
      // Someone sent this refresh token already. If they stored the pair they got, use it.
      const again = await state.read();
      if (again && again.refreshToken !== tokens.refreshToken) return again;
      spend(spent, tokens.refreshToken);
      return ends('An earlier holder of the session lock claimed this refresh token, so it may have been sent, and never stored a new pair: sign in again.');
    }
    let next: SessionTokens;
    try {
      next = await send(tokens.refreshToken);
    } catch (error) {
      // Decided here, once: only a failure that proves the token was not spent (the pipeline's
      // `didNothing`) keeps the session. Any other (an answer, no answer, or an error that says
      // neither: the API errors' chunk failing to load over a 500, a bug) may have spent it, and
      // sending it again could revoke the whole family (seed 002): the session ends here.
      if (nothingSpent(error)) {
        // Given back to the fleet: a claim left standing would have the next holder end the
        // session for everyone.
        if (store.claim && store.unclaim) {
          try {
            await bounded(store.unclaim(tokens.refreshToken), 'unclaim', storeTimeout);
          } catch {
            logger.error('the token store did not take back its claim of an unspent refresh token; the next lock holder will end the session');
          }
        }
        throw error;
      }
      spend(spent, tokens.refreshToken);
      if (isFinal(error)) return ends(`The session has ended (${error.reason ?? `HTTP ${error.status}`}): sign in again.`, error.reason, error);
      if (answeredUnusably(error)) return ends('The token refresh answered without a usable token pair, and its refresh token is spent: sign in again.', undefined, error);
      // Answered after it reached the server (a 5xx, a 409...): the token may have been spent.
      if (error instanceof APIError) return ends(`The token refresh was answered HTTP ${error.status}, and its refresh token may be spent: sign in again.`, error.reason, error);
      if (outcomeUnknown(error)) return ends('The token refresh got no answer, and its refresh token may be spent: sign in again.', undefined, error);
      return ends(`The token refresh failed (${errorName(error)}), and its refresh token may be spent: sign in again.`, undefined, error);
    }
    spend(spent, tokens.refreshToken);
    if (!isTokenPair(next)) {
      // A `200 {}`, a proxy's HTML page: the server took the token and gave nothing usable back.
      return ends('The token refresh answered without a usable token pair, and its refresh token is spent: sign in again.');
    }
    state.arrived(next);
    // The same lineage as the pair it replaces: the same sign-in, for every process on the store.
    if (tokens.lineage !== undefined) next.lineage = tokens.lineage;
    // Stored first: a write the store reports superseded (a sign-in replaced the pair meanwhile)
    // leaves the old session's rotated pair to the requests waiting for this refresh only. It is
    // not the session now, so it is neither kept nor reported: onTokens would persist it last.
    if ((await save(next, tokens.refreshToken)) === false) {
      // Superseded by a sign-in (or a logout): the pair is not the session. A store that still
      // holds a pair this client spent, or cannot say, failed the write: the new pair is kept
      // and stored again on a later read, as after a write that threw.
      const now = await holds();
      if (now === 'fresh' || now === 'none') {
        state.latest = undefined;
        return next;
      }
      unsaved = next;
      state.latest = next;
      logger.error('the token store did not take the new pair; it is kept in memory and stored again later');
      // A store that cannot be read cannot say which: the pair is kept for this client's calls
      // (and stored again only over the spent pair it replaces), but onTokens, which persists,
      // is not told of a pair that may be an old session's. It hears the next one.
      if (now === 'unread') return next;
    }
    state.latest = next;
    // Neither failure fails the request: the pair is valid and kept in memory.
    await tell(options, next);
    return next;
  }

  /**
   * The lock's own failures become TokenStoreError; the refresh's errors (the SDK's) and a pair
   * that would not open, read under the lock (from any copy of the SDK), go as they are.
   */
  async function locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await store.lock!(fn);
    } catch (error) {
      if (error instanceof CovetonError || isDecryptFailure(error)) throw error;
      throw new TokenStoreError('lock', 'The token store could not lock the session: no refresh was sent.', { cause: error });
    }
  }

  /** The last refresh scheduled, until it ends, and its lineage. */
  let last: Promise<SessionTokens | undefined> | undefined;
  let lineageOfLast: string | number | undefined;
  let staleOfLast: string | undefined;
  /**
   * One at a time, shared within a lineage: a renewal or call that finds the last one scheduled
   * of its lineage gets its pair. One of another lineage (the session before a sign-in) is
   * waited out, whatever its outcome, and this one runs after it: that pair is never this
   * lineage's. Each scheduled refresh ends after those before it, so the last one asked for is
   * the one to wait for (logout, ./refresh.ts `settled`). A number stands for a pair without a
   * lineage (./credentials.ts `mark`), matched as no lineage in the store: such a refresh is
   * shared only by the requests that carried the same token (pairs without a lineage do not
   * tell one sign-in from the next).
   */
  function refresh(stale: string, mark: string | number | undefined, confirm?: boolean): Promise<SessionTokens | undefined> {
    if (last && lineageOfLast === mark && (typeof mark == 'string' || staleOfLast === stale)) return last;
    lineageOfLast = mark;
    staleOfLast = stale;
    const lineage = typeof mark == 'string' ? mark : undefined;
    const run = () => (store.lock ? locked(() => exchange(stale, lineage, confirm)) : exchange(stale, lineage, confirm));
    const flight: Promise<SessionTokens | undefined> = (last ? last.catch(() => undefined).then(run) : run()).finally(() => {
      if (last === flight) last = undefined;
    });
    return (last = flight);
  }
  return {
    refresh,
    ended() {
      throw new SessionExpiredError('The session this call was made in ended (a sign-out or another sign-in) while it waited for its rate-limit turn: nothing was sent.', 'session_changed');
    },
    // Another tab or process on the store ended the session (its refresh was refused, or it
    // signed out): only that client ended it, so every other one would never hear of it.
    async endedElsewhere() {
      try {
        options.onSessionExpired?.(new SessionExpiredError('Another client sharing the token store ended the session: sign in again.', undefined));
      } catch {
        // The application's callback: its failure is neither the store's nor any call's.
      }
    },
  };
}
