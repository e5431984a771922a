// Replay: a sealed body carries a random msgId under the sender's signature, so one body belongs
// to one stored message. Of the messages seen with the same (sender device, msgId), the earliest
// by the server's createdAt (then by message id) owns it, whichever this device read first: the
// original opens even when a copy was shown first, and from then on the copy is refused. The
// record is this device's own (in its key store): each device detects replays among what it reads.
import { hex } from './bytes.js';
import { E2EError } from './errors.js';
import type { KeyStore } from './store.js';

/** The owner of a msgId as stored: message id and createdAt (ms, or null when the API gave none). */
type Owner = [messageId: string, createdAt: number | null];

const earlier = (a: { id: string; at: number }, b: { id: string; at: number }) => a.at < b.at || (a.at === b.at && a.id < b.id);

export async function checkReplay(store: KeyStore, senderDeviceId: string, msgId: Uint8Array, message: { id: string; createdAt: number }): Promise<void> {
  const name = `coveton-e2e/seen/${senderDeviceId}/${hex(msgId)}`;
  const stored = await store.get(name);
  // Records written by earlier versions hold the message id alone: that message stays the owner.
  const owner = typeof stored === 'string' ? { id: stored, at: -Infinity } : Array.isArray(stored) ? { id: String(stored[0]), at: (stored as Owner)[1] ?? Infinity } : undefined;
  if (owner?.id === message.id) return;
  if (owner && !earlier({ id: message.id, at: message.createdAt }, owner)) throw new E2EError('replay', owner.id);
  // JSON has no Infinity: a message without createdAt is stored with null.
  await store.set(name, [message.id, Number.isFinite(message.createdAt) ? message.createdAt : null] satisfies Owner);
}
