// Session credentials on each attempt: the current access token (refreshed first when its
// `exp` is near), and after a 401 whose reason is `token_expired`, one refresh and one resend.
import { onOrigin } from '../auth.js';
import type { Layer } from '../outgoing.js';
import type { Refresher } from './refresh.js';

async function saysExpired(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: { reason?: unknown } };
    return body?.error?.reason === 'token_expired';
  } catch {
    return false;
  }
}

export function sessionAuth(refresher: Refresher, apiOrigin: string): Layer {
  return (next) => async (request, signal) => {
    if (!onOrigin(request.url, apiOrigin) || 'authorization' in request.headers) return next(request, signal);
    const pending = refresher.current();
    const tokens = pending instanceof Promise ? await pending : pending;
    if (!tokens) return next(request, signal);
    request.headers.authorization = `Bearer ${tokens.accessToken}`;
    const response = await next(request, signal);
    if (response.status !== 401 || !(await saysExpired(response))) return response;
    const fresh = await refresher.refresh(tokens.accessToken);
    await response.body?.cancel().catch(() => {});
    request.headers.authorization = `Bearer ${fresh.accessToken}`;
    return next(request, signal); // at most once: a second 401 goes back to the caller
  };
}
