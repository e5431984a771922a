// Idempotency (seed 002, "Idempotency"): the first answer to an `Idempotency-Key` is recorded and
// replayed (status, body, headers) to every retry with the same key; the same key with a
// different request is rejected with 422, as the IETF Idempotency-Key draft recommends. A retry
// that arrives while the first is still running waits for it. Keys are scoped per credential.
import { createHash } from 'node:crypto';
import type { Reply } from './reply.js';

const MAX_KEYS = 5_000;

interface Entry {
  fingerprint: string;
  reply: Promise<Reply>;
}

export interface IdempotencyStore {
  /** Runs `work` once per key; a replay is marked with `replayed: true`. */
  run(scope: string, key: string, request: unknown, work: () => Promise<Reply>): Promise<{ reply: Reply; replayed: boolean } | { mismatch: true }>;
  clear(): void;
}

export function createIdempotencyStore(): IdempotencyStore {
  const entries = new Map<string, Entry>();
  return {
    async run(scope, key, request, work) {
      const id = `${scope}\u0000${key}`;
      const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
      const seen = entries.get(id);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { mismatch: true };
        return { reply: await seen.reply, replayed: true };
      }
      if (entries.size >= MAX_KEYS) entries.delete(entries.keys().next().value as string);
      const reply = work();
      entries.set(id, { fingerprint, reply });
      try {
        const done = await reply;
        // A 5xx or 429 is not a result: the next retry runs again (as Stripe does).
        if (done.status >= 500 || done.status === 429) entries.delete(id);
        return { reply: done, replayed: false };
      } catch (error) {
        entries.delete(id);
        throw error;
      }
    },
    clear: () => entries.clear(),
  };
}
