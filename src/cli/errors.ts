// What commands throw and the small helpers their messages share, light enough to load at start.
// The SDK's errors are turned into messages by describe.ts, loaded only when one happens.
export { Cancelled, CommandFailure, Interrupted, Reported, UsageError } from '../tools/failures.js';

export const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ECONNRESET: 'the connection was reset by the server',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

/** A socket error code in words, with the code: "connection refused: ... (ECONNREFUSED)". */
export function networkReason(code: string): string {
  return NETWORK_CODES[code] ? `${NETWORK_CODES[code]} (${code})` : code;
}

/** Origin and path of a URL: no credentials, no query string. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
