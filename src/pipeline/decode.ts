// The one place a success body becomes data: the JSON the spec promises, or an
// UnexpectedResponseError naming the operation (an empty body, text that is not JSON, a value
// of the wrong kind). Resource methods, the raw client and the token refresh all decode here,
// so a broken 2xx is the same typed error wherever it comes from. The counterpart of
// ./outcome.ts, which turns a failed answer into its error.
import { UnexpectedResponseError } from '../errors/transport.js';

/** What the spec promises: a JSON array, a JSON object, or any JSON value. */
export type Promised = 'array' | 'object' | 'value';

const kind = (data: unknown) => (data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data);

export function decodeJson(text: string | undefined, status: number, operation: string, promised: Promised): unknown {
  if (!text) throw new UnexpectedResponseError(operation, status, 'an empty body');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(operation, status, 'a body that is not JSON');
  }
  if (promised === 'array' ? !Array.isArray(data) : promised === 'object' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new UnexpectedResponseError(operation, status, `${kind(data)} where ${promised === 'array' ? 'a list' : 'an object'} belongs`);
  }
  return data;
}
