// Replay: a sealed body carries a random msgId under the sender's signature, so one body belongs
// to one stored message. Of the messages seen with the same (sender device, msgId), the earliest
// by the server's createdAt (then by message id) owns it, whichever this device read first: the
// original opens even when a copy was shown first, and from then on the copy is refused. The
// record is this device's own (in its key store): each device detects replays among what it reads.
//
// Bounded: one record per sender device keeps the newest LIMIT bodies by createdAt. Older ones
// are dropped and the record keeps their latest createdAt (the horizon); a body from at or before
// the horizon that the record does not hold opens unrecorded, so reading old history adds nothing,
// and a replay is detected only while its original is among the newest LIMIT of that device.
//
// The record is read, changed and written back whole, so each check takes its turn on the store
// (inTurn, as pins do): two decrypts interleaved would have the later write drop the body the
// earlier one recorded, and a copy of that body would later open as new.
import { hex } from './bytes.js';
import { E2EError } from './errors.js';
import { inTurn, read, write, type KeyStore } from './store.js';

export const LIMIT = 4096;
/** [msgId (hex), message id, createdAt ms or null when the API gave none]. */
type Entry = [string, string, number | null];
/** Stored as [horizon or null, entries]. */
type Seen = [number | null, Entry[]];

const at = (e: Entry) => e[2] ?? Infinity;
const finite = (n: number) => (Number.isFinite(n) ? n : null);
const earlier = (a: { id: string; at: number }, b: { id: string; at: number }) => a.at < b.at || (a.at === b.at && a.id < b.id);

export const checkReplay = (store: KeyStore, senderDeviceId: string, msgId: Uint8Array, message: { id: string; createdAt: number }, limit = LIMIT): Promise<void> =>
  inTurn(store, async () => {
    const name = `coveton-e2e/seen/${senderDeviceId}`;
    const id = hex(msgId);
    const stored = await read(store, name);
    const [horizon, seen] = Array.isArray(stored) ? [(stored as Seen)[0] ?? -Infinity, (stored as Seen)[1]] : [-Infinity, [] as Entry[]];
    const found = seen.find((e) => e[0] === id);
    const owner = found && { id: found[1], at: at(found) };
    if (owner?.id === message.id) return;
    if (owner && !earlier({ id: message.id, at: message.createdAt }, owner)) throw new E2EError('replay', owner.id);
    if (!owner && message.createdAt <= horizon) return;
    const next = [...seen.filter((e) => e[0] !== id), [id, message.id, finite(message.createdAt)] as Entry];
    let edge = horizon;
    while (next.length > limit) {
      const oldest = next.reduce((a, b) => (at(b) < at(a) ? b : a));
      next.splice(next.indexOf(oldest), 1);
      if (oldest[2] !== null) edge = Math.max(edge, oldest[2]);
    }
    await write(store, name, [finite(edge), next] satisfies Seen);
  });
