// Replay: a sealed body carries a random msgId under the sender's signature. The first stored
// message seen with (sender device, msgId) owns it; reading that message again is fine, the same
// body under another message id is a replay.
import { hex } from './bytes.js';
import { E2EError } from './errors.js';
import type { KeyStore } from './store.js';

export async function checkReplay(store: KeyStore, senderDeviceId: string, msgId: Uint8Array, messageId: string): Promise<void> {
  const name = `coveton-e2e/seen/${senderDeviceId}/${hex(msgId)}`;
  const owner = await store.get(name);
  if (owner === undefined) await store.set(name, messageId);
  else if (owner !== messageId) throw new E2EError('replay', String(owner));
}
