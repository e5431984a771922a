// Safety numbers and `acceptIdentity`: what a user does to check or accept another user's
// devices out of band. Loaded on first use (client.ts imports it with import()), so a client
// that only sends and reads messages does not carry it.
import { E2EError } from './errors.js';
import { safetyNumber, type SafetyNumber } from './safety.js';
import { loadPins, removedNow, replacePins, verifyListing, type Self, type VerifiedDevice } from './trust.js';
import { hex } from './bytes.js';
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

/**
 * The identity keys (tagged) of a user's pinned devices not known to be removed: the devices the
 * client seals to, whichever listing showed them first. Safety numbers are made from these, so a
 * server that shows one device list to senders and another to safety numbers changes the number.
 */
async function pinnedKeys(store: KeyStore, userId: string): Promise<Uint8Array[]> {
  const pins = await loadPins(store, userId);
  return [...pins.values()].filter((p) => !p.removed).map((p) => Uint8Array.from(p.key.match(/../g) ?? [], (h) => parseInt(h, 16)));
}

/**
 * The keys a safety number shows for `userId`: its pinned devices (what this client seals to),
 * or, while a change waits under 'block', the listed devices `acceptIdentity` would pin, so the
 * two people can compare before accepting.
 */
async function safetyKeys(ctx: IdentityContext, userId: string): Promise<Uint8Array[]> {
  const listed = await collect(ctx.api.devices.listForUser(userId));
  try {
    await ctx.admit(listed);
    return await pinnedKeys(ctx.store, userId);
  } catch (error) {
    if (!(error instanceof E2EError && error.code === 'identity_changed')) throw error;
    const verified = await verifyListing(listed, ctx.self);
    return verified.filter((d) => d.userId === userId && !removedNow(d) && d.id !== ctx.self.deviceId).map((d) => d.identityRaw);
  }
}

/** The safety number between this user, as the safety numbers show it, and `theirs`, the keys of `userId`. */
async function numberWith(ctx: IdentityContext, userId: string, theirs: Uint8Array[]): Promise<SafetyNumber> {
  const mine = [ctx.self.identityRaw, ...(await safetyKeys(ctx, ctx.self.userId))];
  return safetyNumber({ userId: ctx.self.userId, keys: mine }, { userId, keys: theirs });
}

/** The safety number between this user and `userId`. */
export const safetyNumberWith = async (ctx: IdentityContext, userId: string) => numberWith(ctx, userId, await safetyKeys(ctx, userId));

/**
 * Pins `userId`'s active devices listed now, if they make the number the two people compared: only
 * that user's devices, recomputed from the very listing pinned, in one write. A removed device is
 * kept only if it was pinned under the same key (what it sent before its removal opens): one
 * never pinned is in no number, so it stays unpinned and authors nothing. A listing with no active
 * device of the user is refused, so an accept never leaves the user unpinned (first use again).
 */
export async function acceptIdentity(ctx: IdentityContext, userId: string, compared: SafetyNumber | string): Promise<void> {
  const listed = (await verifyListing(await collect(ctx.api.devices.listForUser(userId)), ctx.self)).filter(
    (d) => d.userId === userId && d.id !== ctx.self.deviceId,
  );
  const active = listed.filter((d) => !removedNow(d));
  if (active.length === 0) throw new E2EError('bad_bundle', `no active device of ${userId} to accept`);
  const number = await numberWith(ctx, userId, active.map((d) => d.identityRaw));
  // String(): no number at all (a JavaScript caller), or digits of another type, match nothing.
  if (!number.matches(String(typeof compared === 'string' ? compared : compared?.digits))) {
    throw new E2EError('identity_changed', `the devices of ${userId} listed now do not make the safety number compared`);
  }
  const pins = await loadPins(ctx.store, userId);
  await replacePins(ctx.store, userId, listed.filter((d) => active.includes(d) || pins.get(d.id)?.key === hex(d.identityRaw)));
}
