// Idempotency (seed 002, "Idempotency"): the first answer to an `Idempotency-Key` is recorded and
// replayed (status, body, headers) to every retry with the same key; the same key with a
// different request is rejected with 422, as the IETF Idempotency-Key draft recommends. A retry
// that arrives while the first is still running waits for it. Keys are scoped per credential.
// "The same request" is the same meaning: the JSON body is compared in a canonical form (object
// keys sorted at every depth), so a client that re-serializes its body on retry still replays.
// Memory (guide, "Memory"): at most MAX_KEYS keys and DEFAULT_IDEMPOTENCY_BYTES of recorded
// answers (a message's answer carries up to 1 MiB of ciphertext; 5000 of them crashed the mock
// out of memory: review of the mock, finding 2). Past either, the oldest key is forgotten, as the
// API forgets a key after its retention window: a retry with a forgotten key runs as a new request.
import { createHash } from 'node:crypto';
import type { Reply } from './reply.js';
import { jsonBytes } from './state.js';

const MAX_KEYS = 5_000;
/** Bytes of recorded answers (their JSON bodies and headers) kept across all keys. */
export const DEFAULT_IDEMPOTENCY_BYTES = 32 * 1024 * 1024;

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
  /** What the byte cap counts for it: 0 until its answer is recorded. */
  bytes: number;
}

export interface IdempotencyStore {
  /** Runs `work` once per key; a replay is marked with `replayed: true`. */
  run(scope: string, key: string, request: unknown, work: () => Promise<Reply>): Promise<{ reply: Reply; replayed: boolean } | { mismatch: true }>;
  clear(): void;
  /** The bytes the recorded answers hold now, as the byte cap counts them. */
  bytes(): number;
}

export function createIdempotencyStore(byteCap = DEFAULT_IDEMPOTENCY_BYTES): IdempotencyStore {
  const entries = new Map<string, Entry>();
  let total = 0;
  const forget = (id: string) => {
    total -= entries.get(id)?.bytes ?? 0;
    entries.delete(id);
  };
  /** Records the size of `entry`'s answer, then forgets the oldest keys until the rest fit (never `entry` itself). */
  const account = (id: string, entry: Entry, done: Reply) => {
    if (entries.get(id) !== entry) return; // forgotten (cap, clear) while it ran
    entry.bytes = Buffer.byteLength(id) + jsonBytes(done.body) + jsonBytes(done.headers ?? {});
    total += entry.bytes;
    for (const oldest of entries.keys()) {
      if (total <= byteCap) break;
      // A key still running holds no recorded answer yet: forgetting it would free nothing.
      if (oldest !== id && entries.get(oldest)!.bytes > 0) forget(oldest);
    }
  };
  return {
    async run(scope, key, request, work) {
      const id = `${scope}\u0000${key}`;
      const fingerprint = createHash('sha256').update(canonical(request)).digest('hex');
      const seen = entries.get(id);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { mismatch: true };
        return { reply: await seen.reply, replayed: true };
      }
      if (entries.size >= MAX_KEYS) forget(entries.keys().next().value as string);
      const reply = work();
      const entry: Entry = { fingerprint, reply, bytes: 0 };
      entries.set(id, entry);
      try {
        const done = await reply;
        // A 5xx or 429 is not a result: the next retry runs again (as Stripe does).
        if (done.status >= 500 || done.status === 429) {
          if (entries.get(id) === entry) forget(id);
        } else account(id, entry, done);
        return { reply: done, replayed: false };
      } catch (error) {
        if (entries.get(id) === entry) forget(id);
        throw error;
      }
    },
    clear: () => {
      entries.clear();
      total = 0;
    },
    bytes: () => total,
  };
}
