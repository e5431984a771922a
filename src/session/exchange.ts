// The refresh call itself: `POST /auth/refresh` without any credential, through the pipeline
// like everything else, with the policy of a one-time credential: repeated only when the
// attempt provably did nothing (the policy's `didNothing`: never reached the server, 408, 429),
// never redirected. A failure is the pipeline's typed error, with the refresh token redacted.
import type { components } from '@coveton/sdk/schema';
import { decodeJson } from '../pipeline/decode.js';
import type { Pipeline } from '../pipeline/index.js';
import { toTokens } from './to-tokens.js';
import type { SessionTokens } from '../public/session.js';

export function refreshExchange(pipeline: Pipeline, baseUrl: string) {
  return async (refreshToken: string): Promise<SessionTokens> => {
    const { text, reply } = await pipeline(
      {
        url: `${baseUrl}/auth/refresh`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      },
      { endpoint: 'POST /auth/refresh', repeat: 'if-not-sent', anonymous: true, secrets: [refreshToken] },
    );
    return toTokens(decodeJson(text, reply.status, 'POST /auth/refresh', 'object') as components['schemas']['AuthTokens']);
  };
}
