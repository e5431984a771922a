// What the SDK tells the callbacks a user gives it.
import type { CovetonError } from '../errors/base.js';


/** What `onRetry` is told before each retry. */
export interface RetryEvent {
  /** The number of the attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** Milliseconds the SDK waits before it. */
  delay: number;
  /** Why: the API error of the failed response, or the connection or timeout error. */
  cause: CovetonError;
  method: string;
  /** The URL without its query string. */
  url: string;
}
