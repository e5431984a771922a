// Idempotency (seed 002, "Idempotency"): the first answer to an `Idempotency-Key` is recorded and
// replayed (status, body, headers) to every retry with the same key; the same key with a
// different request is rejected with 422, as the IETF Idempotency-Key draft recommends. A retry
// that arrives while the first is still running waits for it. Keys are scoped per credential.
// "The same request" is the same meaning: the JSON body is compared in a canonical form (object
// keys sorted at every depth), so a client that re-serializes its body on retry still replays.
import { createHash } from 'node:crypto';
import type { Reply } from './reply.js';

const MAX_KEYS = 5_000;

/** JSON text with object keys sorted at every depth; arrays keep their order (it has meaning). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

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
      const fingerprint = createHash('sha256').update(canonical(request)).digest('hex');
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
