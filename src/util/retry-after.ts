// The one parse of `Retry-After`, for the SDK's retries (pipeline/rate-limit/headers.ts) and for
// `coveton contract`'s pacing of a 429 (cli/contract/pacing.ts): both wait what the server asks
// for, so they read it by the same rules. Here, in util/, because the CLI may import util/ but
// not the pipeline (src/README.md, "What may import what"). It is in every browser bundle, whose
// size budget is a hard wall: it is written for bytes (test/package).

/** What a header set offers: fetch's `Headers` and the SDK's `HeaderReader` alike. */
interface Headerish {
  get(name: string): string | null;
}

/**
 * HTTP-date forms of RFC 9110 section 5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime
 * forms. IMF-fixdate's day is two digits, but the same section encourages recipients to be robust
 * ("messages are occasionally forwarded over HTTP from a non-HTTP source that might generate any
 * of the date and time specifications defined by the Internet Message Format"), and RFC 5322's
 * day is one or two digits: `Tue, 8 Dec 2026 00:00:30 GMT` is that date, not garbage.
 */
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d\d? [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT|[A-Z][a-z]+, \d\d-[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})$/;
const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * `Retry-After` (RFC 9110 section 10.2.3) as milliseconds from `now`: delay-seconds (`1.5` is
 * 1.5 s, as gateways send it) or an HTTP-date, and nothing else: a negative number, garbage or a
 * date in another format is absent, so the caller falls back to its backoff.
 *
 * `retry-after-ms`, sent by some gateways, is the same wait to the millisecond, so it is taken
 * when Retry-After is absent or within a second of it (Retry-After's resolution: `1` beside
 * `250`). When Retry-After asks for a second or more longer, the two disagree and the longer
 * wait is taken: a gateway's `retry-after-ms: 0` beside the server's `Retry-After: 30` made
 * every retry at once another 429 (a review's repro). Waiting too long costs time; too short, tries.
 */
export function parseRetryAfter(headers: Headerish, now: number): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  // asctime, the one form ending in a digit, names no zone yet is GMT (RFC 9110 5.6.7): without
  // ` GMT`, Date.parse read it in the machine's time zone (4 s was 4 h in New York, 0 in Tokyo).
  const at = raw && HTTP_DATE.test(raw) ? Date.parse(raw.replace(/\d$/, '$& GMT')) - now : NaN;
  const coarse = raw && SECONDS.test(raw) ? +raw * 1000 : Number.isNaN(at) ? undefined : Math.max(0, at);
  const fine = headers.get('retry-after-ms')?.trim();
  // Number(undefined) is NaN, and NaN >= 1000 is false: without Retry-After, the fine wait.
  return fine && SECONDS.test(fine) && !(Number(coarse) - +fine >= 1000) ? +fine : coarse;
}
