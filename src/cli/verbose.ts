// --verbose (or COVETON_LOG=debug): one line on stderr per HTTP attempt, with what a person
// debugging a call needs and nothing secret: method, URL without its query, status, request id,
// time to the end of the attempt, and whether the SDK repeats the request and why.
// Built from the SDK's hooks (`onResponse` for each attempt, `onRetry` for the SDK's decision),
// never from a `fetch` of its own: a debug run takes the very route a quiet run takes (the
// transport, HTTPS_PROXY / HTTP_PROXY / NO_PROXY) and the decision stays in the SDK's policy.
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError } from '../index.js';
import type { CovetonError } from '../index.js';
import type { CovetonOptions } from '../public/options.js';
import type { ResponseEvent } from '../public/events.js';
import { printable } from './terminal-text.js';

export interface AttemptLog {
  options: Pick<CovetonOptions, 'hooks' | 'maxRetries'>;
  /** Prints the last attempt, which the SDK did not repeat. */
  flush(): void;
}

function causeWords(cause: CovetonError): string {
  if (cause instanceof APIError) return `${cause.status}${cause.code ? ` ${cause.code}` : ''}`;
  if (cause instanceof APIConnectionError) return printable(cause.message.replace(/\.$/, ''));
  return cause.name;
}

function outcome(event: ResponseEvent): string {
  if (event.status !== undefined) return `${event.status}${event.requestId ? `, request id ${printable(event.requestId).slice(0, 100)}` : ''}`;
  const error = event.error;
  if (error instanceof APITimeoutError || error instanceof APIUserAbortError) return 'no answer (timed out or cancelled)';
  if (error instanceof APIConnectionError) return `connection failed${error.code ? ` (${printable(error.code)})` : ''}`;
  return `no answer (${error?.name ?? 'error'})`;
}

export function attemptLog(write: (line: string) => void, maxRetries: number): AttemptLog {
  let pending: ResponseEvent | undefined;

  const print = (e: ResponseEvent, decision: string) =>
    write(`${e.method} ${printable(e.url)} -> ${outcome(e)} in ${Math.round(e.duration)} ms (attempt ${e.attempt}); ${decision}`);

  const flush = () => {
    if (!pending) return;
    const e = pending;
    pending = undefined;
    const failed = e.status === undefined || e.status >= 400;
    print(e, !failed ? 'done' : e.attempt > maxRetries ? 'no retry: retries used up' : 'no retry: not retryable');
  };

  return {
    options: {
      maxRetries,
      hooks: {
        onResponse: (event) => {
          flush(); // a new attempt ended: the one before it was not repeated
          pending = event;
        },
        onRetry: (event) => {
          if (!pending) return;
          const e = pending;
          pending = undefined;
          print(e, `retry in ${Math.round(event.delay)} ms (${causeWords(event.cause)})`);
        },
      },
    },
    flush,
  };
}
