// How long to wait before a retry. Exponential backoff with jitter, the schedule of the
// Stainless SDKs (openai-node, anthropic): base = min(initialDelay * 2^(retry - 1), maxDelay),
// then up to `jitter` of it taken off at random so that clients that failed together do not
// retry together. With the defaults the waits before retries 1, 2, 3, 4, 5 are at most
// 0.5 s, 1 s, 2 s, 4 s, 8 s and at least 75% of that.
import type { BackoffOptions } from '../public/options.js';

export function backoffDelay(retry: number, { initialDelay, maxDelay, jitter }: Required<BackoffOptions>, random: () => number = Math.random): number {
  const base = Math.min(initialDelay * 2 ** Math.max(0, retry - 1), maxDelay);
  return Math.round(base * (1 - jitter * random()));
}
