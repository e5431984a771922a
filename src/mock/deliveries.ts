// Outbound webhooks: a state change becomes one of the spec's events (`message.created`,
// `api_key.revoked`, ...), signed with the SDK's own `signPayload` (`X-Coveton-Signature:
// t=...,v1=...`) and POSTed to `--webhook-url`; a failure (no answer, a non-2xx, a redirect,
// which is never followed) is retried with exponential backoff, re-signed at each attempt, with
// the same event id.
// The event log keeps the last MAX_KEPT events and at most DEFAULT_EVENT_BYTES of them: an event
// carries the whole message (up to 1 MiB of ciphertext), so a count alone let it hold a gigabyte
// (review of the mock, finding 2). Past either, the oldest event leaves the log.
import { newId } from '../tools/ids.js';
import { deliverOnce } from '../tools/webhook-delivery.js';

export interface WebhookOptions {
  url?: string | undefined;
  secret?: string | undefined;
  /** Attempts per event, the first included. @default 5 */
  attempts?: number;
  /** The wait before the first retry, doubled for each next one. @default 500 */
  backoffMs?: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  attempts: number;
  /** The last status the endpoint answered, or 0 for a network failure. */
  status: number;
  delivered: boolean;
  /** Why the last attempt failed: no answer, a status, or a redirect (never followed) and its `Location`. */
  problem?: string;
}

export interface Deliveries {
  emit(type: string, organizationId: string | null, data: unknown, now: number): void;
  readonly events: unknown[];
  readonly records: DeliveryRecord[];
  /** Resolves once every queued delivery has succeeded or given up. */
  idle(): Promise<void>;
  close(): void;
  clear(): void;
  /** The bytes the event log holds now (each event's JSON text), as its byte cap counts them. */
  bytes(): number;
}

const MAX_KEPT = 1_000;
/** Bytes of events (their JSON text) the event log keeps. */
export const DEFAULT_EVENT_BYTES = 32 * 1024 * 1024;

export function createDeliveries(options: WebhookOptions, log: (line: string) => void, byteCap = DEFAULT_EVENT_BYTES): Deliveries {
  const events: unknown[] = [];
  const sizes: number[] = [];
  let total = 0;
  const records: DeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const attempts = options.attempts ?? 5;
  const backoff = options.backoffMs ?? 500;
  const keep = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > MAX_KEPT) list.shift();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });

  async function deliver(record: DeliveryRecord, body: string) {
    for (let i = 0; i < attempts && !closed; i++) {
      if (i > 0) await sleep(backoff * 2 ** (i - 1));
      if (closed) return;
      record.attempts++;
      const outcome = await deliverOnce(options.url!, options.secret!, body);
      record.status = outcome.status;
      record.problem = outcome.problem;
      if (!outcome.problem) {
        record.delivered = true;
        return;
      }
      log(`webhook ${record.type} ${record.eventId}: attempt ${record.attempts} failed: ${outcome.problem}`);
    }
  }

  return {
    events,
    records,
    emit(type, organizationId, data, now) {
      const event = { id: newId('evt_'), type, createdAt: new Date(now).toISOString(), organizationId, data };
      const body = JSON.stringify(event);
      events.push(event);
      sizes.push(Buffer.byteLength(body));
      total += sizes[sizes.length - 1]!;
      // The newest event always stays, even one larger than the cap on its own.
      while (events.length > 1 && (events.length > MAX_KEPT || total > byteCap)) {
        events.shift();
        total -= sizes.shift()!;
      }
      if (!options.url || !options.secret || closed) return;
      const record: DeliveryRecord = { eventId: event.id, type, attempts: 0, status: 0, delivered: false };
      keep(records, record);
      const job = deliver(record, body).finally(() => pending.delete(job));
      pending.add(job);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close() {
      closed = true;
      for (const [t, wake] of timers) {
        clearTimeout(t);
        wake();
      }
      timers.clear();
    },
    clear() {
      events.length = 0;
      sizes.length = 0;
      total = 0;
      records.length = 0;
    },
    bytes: () => total,
  };
}
