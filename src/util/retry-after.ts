// The one parse of `Retry-After`, for the SDK's retries (pipeline/rate-limit/headers.ts) and for
// `coveton contract`'s pacing of a 429 (cli/contract/pacing.ts): both wait what the server asks
// for, so they read it by the same rules. Here, in util/, because the CLI may import util/ but
// not the pipeline (src/README.md, "What may import what").

/** What a header set offers: fetch's `Headers` and the SDK's `HeaderReader` alike. */
interface Headerish {
  get(name: string): string | null;
}

/** HTTP-date forms of RFC 9110 section 5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms. */
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;
const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * `Retry-After` (RFC 9110 section 10.2.3) as milliseconds from `now`: delay-seconds (`1.5` is
 * 1.5 s, as gateways send it) or an HTTP-date, and nothing else: a negative number, garbage or a
 * date in another format is absent, so the caller falls back to its backoff. `retry-after-ms`,
 * sent by some gateways, wins when present.
 */
export function parseRetryAfter(headers: Headerish, now: number): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && SECONDS.test(ms)) return Number(ms);
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (SECONDS.test(raw)) return Number(raw) * 1000;
  if (!HTTP_DATE.test(raw)) return undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
