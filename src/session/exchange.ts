// The refresh call itself: `POST /auth/refresh` without any credential, through the same
// retry loop and rate limiter as everything else, repeated only when the spent-or-not
// question cannot arise (refused connection, or the server answered a retryable status).
import type { components } from '../../generated/schema.js';
import { errorFromFetchResponse } from '../errors/from-response.js';
import type { Transport } from '../transport.js';
import { toTokens } from './helpers.js';
import type { SessionTokens } from './tokens.js';

export function refreshExchange(transport: Transport, baseUrl: string, secrets: () => readonly (string | undefined)[]) {
  return async (refreshToken: string): Promise<SessionTokens> => {
    const request = new Request(`${baseUrl}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    const response = await transport(request, { repeat: 'if-not-sent' });
    if (!response.ok) {
      throw await errorFromFetchResponse(response, { method: 'POST', path: '/auth/refresh', secrets: [...secrets(), refreshToken] });
    }
    return toTokens((await response.json()) as components['schemas']['AuthTokens']);
  };
}
