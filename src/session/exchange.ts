// The refresh call itself: `POST /auth/refresh` without any credential, through the same
// retry loop as everything else, repeated only when the spent-or-not question cannot arise
// (refused connection, or the server answered a retryable status).
import type { components } from '../../generated/schema.js';
import { errorFromResponse } from '../errors/from-response.js';
import { parseBody } from '../outgoing.js';
import type { Transport } from '../transport.js';
import { toTokens } from './helpers.js';
import type { SessionTokens } from './tokens.js';

export function refreshExchange(transport: Transport, baseUrl: string, secrets: () => readonly (string | undefined)[]) {
  return async (refreshToken: string): Promise<SessionTokens> => {
    const { response, text } = await transport.send(
      {
        url: `${baseUrl}/auth/refresh`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
        redirect: 'follow',
      },
      { repeat: 'if-not-sent' },
    );
    const body = parseBody(text);
    if (!response.ok) {
      throw errorFromResponse(response.status, response.statusText, response.headers, body, {
        method: 'POST',
        path: '/auth/refresh',
        secrets: [...secrets(), refreshToken],
      });
    }
    return toTokens(body as components['schemas']['AuthTokens']);
  };
}
