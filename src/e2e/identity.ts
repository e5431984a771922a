// Safety numbers and `acceptIdentity`: what a user does to check or accept another user's
// devices out of band. Loaded on first use (client.ts imports it with import()), so a client
// that only sends and reads messages does not carry it.
import { E2EError } from './errors.js';
import { safetyNumber, type SafetyNumber } from './safety.js';
import { checkPins, loadPins, pinName, verifyListing, type Self, type VerifiedDevice } from './trust.js';
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
    return verified.filter((d) => d.userId === userId && d.removedAt === null && d.id !== ctx.self.deviceId).map((d) => d.identityRaw);
  }
}

/** The safety number between this user and `userId`. */
export async function safetyNumberWith(ctx: IdentityContext, userId: string): Promise<SafetyNumber> {
  const mine = [ctx.self.identityRaw, ...(await safetyKeys(ctx, ctx.self.userId))];
  return safetyNumber({ userId: ctx.self.userId, keys: mine }, { userId, keys: await safetyKeys(ctx, userId) });
}

/** Trusts a user's current devices as they are (after checking the safety number out of band). */
export async function acceptIdentity(ctx: IdentityContext, userId: string): Promise<void> {
  const listed = await verifyListing(await collect(ctx.api.devices.listForUser(userId)), ctx.self);
  await ctx.store.delete(pinName(userId));
  await checkPins(ctx.store, userId, listed.filter((d) => d.id !== ctx.self.deviceId), 'warn', () => {});
}
