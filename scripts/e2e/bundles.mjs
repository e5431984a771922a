// The real key bundles the spec's examples, the mock's seed and the tests use: every device id
// below gets keys derived from its name (src/tools/device-keys.ts, node:crypto Ed25519 and
// X25519), so the same run prints the same bundles and every signature verifies.
// test/spec/device-examples.test.ts checks that each example in the spec is one of these.
//
//   node --import tsx scripts/e2e/bundles.mjs        # prints them as JSON
import { deviceKeyBundle } from '../../src/tools/device-keys.ts';

/** Device id (or label) -> the key ids its signed pre-keys were published under. */
export const EXAMPLE_DEVICES = {
  dev_a1: [1, 2],
  dev_b2: [1],
  dev_n3: [1],
  dev_a1B2c3: [1],
  dev_BobPhone1: [1],
  dev_BobLaptop1: [1],
  dev_BeaPhone1: [1],
  dev_CyPhone01: [1],
  dev_DanPhone1: [1],
};

/** Every example bundle: `{ [deviceId]: { [keyId]: { identityKey, signedPreKey } } }`. */
export function exampleBundles() {
  return Object.fromEntries(
    Object.entries(EXAMPLE_DEVICES).map(([id, keyIds]) => [id, Object.fromEntries(keyIds.map((keyId) => [keyId, deviceKeyBundle(id, keyId)]))]),
  );
}

export { deviceKeyBundle };

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(exampleBundles(), null, 2));
