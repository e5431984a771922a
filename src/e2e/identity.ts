// Safety numbers and `acceptIdentity`: what a user does to check or accept another user's
// devices out of band. Loaded on first use (client.ts imports it with import()), so a client
// that only sends and reads messages does not carry it.
import { E2EError } from './errors.js';
import { safetyNumber, type SafetyNumber } from './safety.js';
import { loadPins, savePins, settle, updatePins, verifyListing, type Pin, type Self, type VerifiedDevice } from './trust.js';
import { collect, type BundleDevice, type E2EApi } from './api.js';
import type { KeyStore } from './store.js';

/** What the client lends: its API, its store, this device, and its checks of listed bundles. */
export interface IdentityContext {
  api: E2EApi;
  store: KeyStore;
  /** This device: its id, its user and its tagged identity key. */
  self: Self;
  /** Verifies bundles, checks each user's pins and remembers the devices (the client's). */
  admit(list: BundleDevice[]): Promise<VerifiedDevice[]>;
}

/** The identity keys (tagged) of the active ones among a user's pins. */
const activeKeys = (pins: Map<string, Pin>) =>
  [...pins.values()].filter((p) => p.removedAt === null).map((p) => Uint8Array.from(p.key.match(/../g) ?? [], (h) => parseInt(h, 16)));

/**
 * `userId`'s devices in `listed` as acceptIdentity would pin them: only that user's, each as
 * `settle` trusts it against `pins`, and a removed one only if an earlier accept pinned it
 * (else no compared number ever showed its key). Each is marked compared: the active ones make
 * the number the accept checks. Settles copies, so one listing can be held to pins read twice.
 */
function pinsFrom(ctx: IdentityContext, userId: string, listed: VerifiedDevice[], pins: Map<string, Pin>): Map<string, Pin> {
  const kept = new Map<string, Pin>();
  for (const d of listed) {
    const pin = d.userId === userId && d.id !== ctx.self.deviceId ? settle(pins.get(d.id), { ...d }) : undefined;
    if (pin && (pin.removedAt === null || pin.compared)) kept.set(d.id, { ...pin, compared: true });
  }
  return kept;
}

/**
 * The keys a safety number shows for `userId`: its active pinned devices (what this client seals
 * to, whichever listing showed them first), or, while a change waits under 'block', the listed
 * devices `acceptIdentity` would pin active, so the two people can compare before accepting. So a
 * server that shows one device list to senders and another to safety numbers changes the number.
 */
async function safetyKeys(ctx: IdentityContext, userId: string): Promise<Uint8Array[]> {
  const listed = await collect(() => ctx.api.devices.listForUser(userId));
  try {
    await ctx.admit(listed);
    return activeKeys(await loadPins(ctx.store, userId));
  } catch (error) {
    if (!(error instanceof E2EError && error.code === 'identity_changed')) throw error;
    return activeKeys(pinsFrom(ctx, userId, await verifyListing(listed, ctx.self), await loadPins(ctx.store, userId)));
  }
}

/**
 * The safety number between this user, as the safety numbers show it, and `userId` with the keys
 * `theirs` gives, asked for after this user's own devices are checked and pinned.
 */
async function numberWith(ctx: IdentityContext, userId: string, theirs: () => Promise<Uint8Array[]>): Promise<SafetyNumber> {
  const mine = [ctx.self.identityRaw, ...(await safetyKeys(ctx, ctx.self.userId))];
  return safetyNumber({ userId: ctx.self.userId, keys: mine }, { userId, keys: await theirs() });
}

/** The safety number between this user and `userId`. */
export const safetyNumberWith = (ctx: IdentityContext, userId: string) => numberWith(ctx, userId, () => safetyKeys(ctx, userId));

/**
 * Pins `userId`'s active devices listed now, if they make the number the two people compared: only
 * that user's devices, recomputed from the very listing pinned, in one write. A removed device is
 * kept only if it was pinned under the same key, with its pinned removal (what it sent before
 * that opens): one never pinned is in no number, so it stays unpinned and authors nothing. A
 * listing with no active device of the user is refused, so an accept never leaves the user
 * unpinned (first use again).
 */
export async function acceptIdentity(ctx: IdentityContext, userId: string, compared: SafetyNumber | string): Promise<void> {
  let listed: VerifiedDevice[] = [];
  // What the accept pins from the listing and `pins`: refused if no device of the user stays active.
  const accepted = (pins: Map<string, Pin>) => {
    const kept = pinsFrom(ctx, userId, listed, pins);
    if (activeKeys(kept).length === 0) throw new E2EError('bad_bundle', `no active device of ${userId} to accept`);
    return kept;
  };
  // The user's pins are read once this user's own devices are checked, so no write of theirs
  // lands between the read and the accept's.
  const number = await numberWith(ctx, userId, async () => {
    listed = await verifyListing(await collect(() => ctx.api.devices.listForUser(userId)), ctx.self);
    return activeKeys(accepted(await loadPins(ctx.store, userId)));
  });
  // String(): no number at all (a JavaScript caller), or digits of another type, match nothing.
  if (!number.matches(String(typeof compared === 'string' ? compared : compared?.digits))) {
    throw new E2EError('identity_changed', `the devices of ${userId} listed now do not make the safety number compared`);
  }
  // Pinned again from the pins as they stand once every check that read them earlier has saved
  // (trust.ts updatePins), so no such check puts back what the accept drops, and a removal one
  // dated meanwhile stays: the same listing gives the keys compared, or fewer.
  await updatePins(ctx.store, userId, (pins) => savePins(ctx.store, userId, accepted(pins)));
}
