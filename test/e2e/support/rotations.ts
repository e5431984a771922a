// Two rotations of one device that overlap, as two tabs or processes on one key store run them
// (device.test.ts on a memory store, node-file-key-store.test.ts on one file).
import { encodePreKey } from '../../../src/e2e/keys.js';
import type { Device, KeyStore, SignedPreKey } from '../../../src/e2e/index.js';
import type { FakeWorld } from '../fake-api.js';

/**
 * Rotates `devices` (one device loaded more than once over `store`, as tabs or processes share it) at the same
 * time and reports the keyIds they tried to publish, the keyIds the store then holds, whether
 * every public key the API accepted has its private half in the store (the same raw key), and
 * which stored keys are left pending (and the rotations that failed).
 */
export async function overlappingRotations(world: FakeWorld, devices: Device[], store: KeyStore) {
  const api = world.as('usr_bob');
  const published: SignedPreKey[] = [];
  const recording = { ...api, devices: { ...api.devices, rotateSignedPreKey: async (id: string, body: SignedPreKey) => (published.push(body), api.devices.rotateSignedPreKey(id, body)) } };
  const results = await Promise.allSettled(devices.map((d) => d.rotateSignedPreKey(recording as typeof api)));
  const record = (await store.get('coveton-e2e/device')) as { preKeys: { keyId: number; raw: Uint8Array; pair: CryptoKeyPair; pending?: true }[] };
  const stored = record.preKeys.map((k) => k.keyId).sort();
  const kept = (p: SignedPreKey) => record.preKeys.some((k) => k.keyId === p.keyId && k.pair.privateKey && encodePreKey(k.raw) === p.publicKey);
  return { failed: results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)), attempts: published.map((p) => p.keyId).sort(), stored, publishedKept: published.every(kept), pending: record.preKeys.filter((k) => k.pending).map((k) => k.keyId) };
}
