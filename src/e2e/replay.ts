// Replay: a sealed body carries a random msgId under the sender's signature. On this device a
// body opens under one message id only: the first this device opened it under (recorded in its
// key store). Any other id with that body is `replay`, whatever dates the server gives it, and the
// first id reads again. Earlier releases let the earliest createdAt (then the lowest id) own a
// body, but both are the server's to choose: it re-posted a body it had seen read, dated before
// the original, and every such copy opened (a hostile-server review). So which id owns a body
// is the order this device reads them in (a copy read first owns it); the record is this
// device's own, so each device detects replays among what it reads.
//
// Bounded: one record per sender device keeps the newest LIMIT bodies by their signed sentAt (the
// server cannot reorder it). Older ones are dropped and the record keeps their latest sentAt (the
// horizon); a body signed at or before the horizon that the record does not hold opens unrecorded,
// so reading old history adds nothing, and a replay is detected only while its original is among
// the newest LIMIT of that device.
//
// The record is read, changed and written back whole, so each check takes its turn on the store
// (inTurn, as pins do): two decrypts interleaved would have the later write drop the body the
// earlier one recorded, and a copy of that body would later open as new.
import { hex } from './bytes.js';
import { as, E2EError } from './errors.js';
import { inTurn, read, write, type KeyStore } from './store.js';

export const LIMIT = 4096;
/** [msgId (hex), message id, sentAt ms (createdAt in records of earlier releases; null: none)]. */
type Entry = [string, string, number | null];
/** Stored as [horizon or null, entries]. */
type Seen = [number | null, Entry[]];

const at = (e: Entry) => e[2] ?? Infinity;

// A damaged record (not [horizon, entries]) that fails to read is key_store_invalid naming it, as
// the guide promises, never a bare TypeError; a replay and the store's own failures pass through.
export const checkReplay = (store: KeyStore, senderDeviceId: string, msgId: Uint8Array, message: { id: string; sentAt: number }, limit = LIMIT): Promise<void> =>
  inTurn(store, () => {
    const name = `coveton-e2e/seen/${senderDeviceId}`;
    return as('key_store_invalid', name, async () => {
      const id = hex(msgId);
      const [horizon, seen] = ((await read(store, name)) ?? [null, []]) as Seen;
      const owner = seen.find((e) => e[0] === id)?.[1];
      if (owner === message.id) return;
      if (owner !== undefined) throw new E2EError('replay', owner);
      if (message.sentAt <= (horizon ?? -Infinity)) return;
      const next = [...seen, [id, message.id, message.sentAt] as Entry];
      let edge = horizon ?? -Infinity;
      while (next.length > limit) {
        const oldest = next.reduce((a, b) => (at(b) < at(a) ? b : a));
        next.splice(next.indexOf(oldest), 1);
        if (oldest[2] !== null) edge = Math.max(edge, oldest[2]);
      }
      await write(store, name, [Number.isFinite(edge) ? edge : null, next] satisfies Seen);
    });
  });
