// `expiresAt` that changes a status (spec: Invite.status "`expired` once `expiresAt` passed",
// ApiKey.status `expired`): before each request, records whose time has passed on the mock's
// clock take their `expired` status, so lists, reads and the invariants that read the status see
// it. Messages past `expiresAt` are not swept: they are gone (x-access `expires`). A status
// changed here is a write like any other: the store measures the record again (state.ts).
import type { MockEnv } from './engine.js';

/** Statuses that expire, per collection; final ones (revoked, accepted) stay. */
const EXPIRING: Record<string, string[]> = { invites: ['pending'], 'api-keys': ['active', 'suspended'] };

export function sweepExpired(env: MockEnv): void {
  const now = env.now();
  for (const [collection, statuses] of Object.entries(EXPIRING)) {
    for (const row of env.store.all(collection)) {
      if (statuses.includes(row.status) && typeof row.expiresAt === 'string' && Date.parse(row.expiresAt) <= now) row.status = 'expired';
    }
  }
}
