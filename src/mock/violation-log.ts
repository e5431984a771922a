// The answers of the mock that broke the contract (each was sent as a 500 naming the rule,
// pipeline.ts). It grows only on a bug of the mock, but one such bug hit by every request of a
// partner's long CI run grew it for the whole run. So it keeps the first MAX_VIOLATIONS (the
// first is where a bug showed first, and the rest mostly repeat it) and counts the others; each
// record keeps at most MAX_MESSAGES messages of at most MAX_MESSAGE characters, so the log holds
// a bounded number of bytes however long the run.
//
// What the readers see (`mock.violations`, `GET /__mock/violations`) stays truthful: the kept
// records and, once some were dropped, one last entry saying how many,
// `{ operation: 'and 5 more', status: 500, violations: ['5 more answers ...'] }`. The list is
// `[]` exactly when no answer broke the contract, so `test "$(curl .../__mock/violations)" = "[]"`
// in a CI job still means what it says.

/** One answer that broke the contract: the operation, the status the mock meant to send, what broke. */
export interface ViolationRecord {
  operation: string;
  status: number;
  violations: string[];
}

/** Records kept; past them only a count. */
export const MAX_VIOLATIONS = 100;
/** Messages kept per record, and characters per message. */
export const MAX_MESSAGES = 20;
export const MAX_MESSAGE = 1000;

export interface ViolationLog {
  record(entry: ViolationRecord): void;
  /** The kept records, and one `and K more` entry when some were dropped. */
  list(): ViolationRecord[];
  clear(): void;
}

const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

function bounded(entry: ViolationRecord): ViolationRecord {
  const { violations } = entry;
  const kept = violations.slice(0, MAX_MESSAGES).map(clip);
  if (violations.length > MAX_MESSAGES) kept.push(`and ${violations.length - MAX_MESSAGES} more broken rules in this answer`);
  return { operation: clip(entry.operation), status: entry.status, violations: kept };
}

export function createViolationLog(max = MAX_VIOLATIONS): ViolationLog {
  const kept: ViolationRecord[] = [];
  let dropped = 0;
  return {
    record(entry) {
      if (kept.length < max) kept.push(bounded(entry));
      else dropped++;
    },
    list() {
      if (dropped === 0) return [...kept];
      const more = `${dropped} more answers broke the contract and were not kept: the mock keeps the first ${max} (each was sent as a 500; POST /__mock/reset clears the log)`;
      return [...kept, { operation: `and ${dropped} more`, status: 500, violations: [more] }];
    },
    clear() {
      kept.length = 0;
      dropped = 0;
    },
  };
}
