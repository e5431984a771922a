// Session credentials on each attempt: the current access token (refreshed first when its
// `exp` is near), and after a 401 whose reason is `token_expired`, one refresh and one resend.
// Waiting for a refresh honours the attempt's signal (the caller's abort, the deadline); a
// failed refresh is final for the request, because the refresh ran its own retries already and
// repeating the request would only send the same refresh token again.
import { onOrigin } from '../auth.js';
import type { Layer } from '../outgoing.js';
import { doNotRetry } from '../retry.js';
import type { Refresher } from './refresh.js';
import type { SessionTokens } from './tokens.js';

async function saysExpired(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { reason?: unknown } };
    return body?.error?.reason === 'token_expired';
  } catch {
    return false;
  }
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

export function sessionAuth(refresher: Refresher, apiOrigin: string): Layer {
  const guarded = async (work: SessionTokens | undefined | Promise<SessionTokens | undefined>, signal: AbortSignal | undefined) => {
    if (!(work instanceof Promise)) return work;
    try {
      return await until(work, signal);
    } catch (error) {
      throw signal?.aborted ? error : doNotRetry(error);
    }
  };

  return (next) => async (request, signal) => {
    if (request.anonymous || !onOrigin(request.url, apiOrigin) || 'authorization' in request.headers) return next(request, signal);
    const tokens = await guarded(refresher.current(), signal);
    if (!tokens) return next(request, signal);
    request.headers.authorization = `Bearer ${tokens.accessToken}`;
    const response = await next(request, signal);
    if (response.status !== 401 || !(await saysExpired(response))) return response;
    const fresh = (await guarded(refresher.refresh(tokens.accessToken), signal))!;
    await response.body?.cancel().catch(() => {});
    request.headers.authorization = `Bearer ${fresh.accessToken}`;
    return next(request, signal); // at most once: a second 401 goes back to the caller
  };
}
