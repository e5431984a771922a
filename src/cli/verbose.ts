// --verbose (or COVETON_LOG=debug): one line on stderr per HTTP attempt, with what a person
// debugging a call needs and nothing secret: method, URL with its query redacted, status,
// request id, time to the answer's headers, and whether the SDK repeats the request and why.
// Built from the SDK's own options (a `fetch` that watches each attempt, `hooks.onRetry` for
// the SDK's decision), so the decision stays in the SDK's retry policy; bodies and headers other
// than the request id are never read.
import { APIConnectionError, APIError } from '../index.js';
import { redact } from '../util/redact.js';
import { printable } from './table.js';
import type { CovetonOptions } from '../public/options.js';

interface Attempt {
  attempt: number;
  method: string;
  url: string;
  outcome: string;
  ms: number;
  failed: boolean;
}

export interface AttemptLog {
  options: Pick<CovetonOptions, 'fetch' | 'hooks' | 'maxRetries'>;
  /** Prints the last attempt, which the SDK did not repeat. */
  flush(): void;
}

function causeWords(cause: unknown): string {
  if (cause instanceof APIError) return `${cause.status}${cause.code ? ` ${cause.code}` : ''}`;
  if (cause instanceof APIConnectionError) return printable(cause.message.replace(/\.$/, ''));
  return cause instanceof Error ? cause.name : 'error';
}

export function attemptLog(write: (line: string) => void, maxRetries: number, secrets: () => readonly (string | undefined)[]): AttemptLog {
  let pending: Attempt | undefined;
  let nextAttempt = 1;

  const print = (a: Attempt, decision: string) =>
    write(`${a.method} ${redact(a.url, secrets())} -> ${a.outcome} in ${a.ms} ms (attempt ${a.attempt}); ${decision}`);

  const flush = () => {
    if (!pending) return;
    const a = pending;
    pending = undefined;
    nextAttempt = 1;
    const why = !a.failed ? 'done' : a.attempt > maxRetries ? 'no retry: retries used up' : 'no retry: not retryable';
    print(a, why);
  };

  const watched = async (request: Request): Promise<Response> => {
    flush(); // a new request: the one before it was not repeated
    const attempt = nextAttempt;
    const started = performance.now();
    const record = (outcome: string, failed: boolean) => {
      pending = { attempt, method: request.method, url: request.url, outcome, ms: Math.round(performance.now() - started), failed };
    };
    try {
      const response = await globalThis.fetch(request);
      const id = response.headers.get('x-request-id');
      record(`${response.status}${id ? `, request id ${printable(id).slice(0, 100)}` : ''}`, response.status >= 400);
      return response;
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      const aborted = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
      record(aborted ? 'no answer (timed out or cancelled)' : `connection failed${typeof code === 'string' ? ` (${code})` : ''}`, true);
      throw error;
    }
  };

  return {
    options: {
      fetch: watched,
      maxRetries,
      hooks: {
        onRetry: (event) => {
          if (pending) {
            const a = pending;
            pending = undefined;
            print(a, `retry in ${Math.round(event.delay)} ms (${causeWords(event.cause)})`);
          }
          nextAttempt = event.attempt;
        },
      },
    },
    flush,
  };
}
