// Session credentials on each attempt: the current access token (refreshed first when its
// `exp` is near), and after a 401 whose reason is `token_expired`, one refresh and one resend.
import type { Layer } from '../auth.js';
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
  return (next) => async (request) => {
    if (new URL(request.url).origin !== apiOrigin || request.headers.has('authorization')) return next(request);
    const tokens = await refresher.current();
    if (!tokens) return next(request);
    const resend = request.clone();
    request.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    const response = await next(request);
    if (response.status !== 401 || !(await saysExpired(response))) return response;
    const fresh = await refresher.refresh(tokens.accessToken);
    await response.body?.cancel();
    resend.headers.set('Authorization', `Bearer ${fresh.accessToken}`);
    return next(resend); // at most once: a second 401 goes back to the caller
  };
}
