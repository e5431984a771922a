// Every device bundle the contract shows is real: each example with an identity key and a signed
// pre-key (operations, outbound events, schema-level examples) verifies as the API verifies it
// (Ed25519 over "coveton-e2e/v1/spk" || u32 keyId || tagged X25519 key), is the bundle
// scripts/e2e/bundles.mjs derives for that device id, and a rotation's new key verifies under the
// identity key of the device it rotates. The mock's seeded devices verify too.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types
import { exampleBundles } from '../../scripts/e2e/bundles.mjs';
import { defaultSeed } from '../../src/mock/seed-data.js';
import { signedPreKeyProblem, type SignedPreKeyBundle } from '../../src/tools/device-keys.js';
import { spec, type Json } from '../support/spec.js';

interface Found {
  where: string;
  device: Json;
}

/** Every object under `node` that carries a device bundle (identityKey + signedPreKey). */
function devicesIn(node: Json, where: string, out: Found[] = []): Found[] {
  if (Array.isArray(node)) node.forEach((v, i) => devicesIn(v, `${where}/${i}`, out));
  else if (node && typeof node === 'object') {
    if (typeof node.identityKey === 'string' && node.signedPreKey && typeof node.signedPreKey === 'object') out.push({ where, device: node });
    for (const [k, v] of Object.entries(node)) devicesIn(v, `${where}/${k}`, out);
  }
  return out;
}

const bundles = exampleBundles() as Record<string, Record<string, { identityKey: string; signedPreKey: SignedPreKeyBundle }>>;
const found = devicesIn(spec, '#').filter((f) => !f.where.includes('/properties/'));

describe('device bundles in the contract', () => {
  it('finds the examples: the list, registration, rotation, chat and user bundles, and the device.registered event', () => {
    const places = found.map((f) => f.where);
    for (const op of ['/devices/get', '/devices/post', '/devices/{id}/signed-pre-key/put', '/chats/{id}/devices/get', '/users/{id}/devices/get']) {
      expect(places.some((p) => p.startsWith(`#/paths/${op}/`)), op).toBe(true);
    }
    expect(places.some((p) => p.startsWith('#/webhooks/device.registered/'))).toBe(true);
    expect(found.length).toBeGreaterThanOrEqual(11);
  });

  it('every example verifies, and is the bundle the generator derives for its device id', () => {
    const problems: string[] = [];
    for (const { where, device } of found) {
      const problem = signedPreKeyProblem(device.identityKey, device.signedPreKey);
      if (problem) problems.push(`${where}: ${problem}`);
      // A request body has no id yet: it must still be one of the generator's bundles.
      const generated = device.id ? bundles[device.id]?.[device.signedPreKey.keyId] : Object.values(bundles).flatMap((b) => Object.values(b)).find((b) => b.identityKey === device.identityKey);
      if (!generated) problems.push(`${where}: ${device.id ?? 'a request'} is not a device of scripts/e2e/bundles.mjs`);
      else expect({ identityKey: device.identityKey, signedPreKey: device.signedPreKey }, where).toEqual(generated);
    }
    expect(problems).toEqual([]);
  });

  it("a rotation's new signed pre-key verifies under the identity key of the device it rotates", () => {
    const put = spec.paths['/devices/{id}/signed-pre-key'].put;
    const next = put.requestBody.content['application/json'].examples.rotate.value as SignedPreKeyBundle;
    const after = put.responses['200'].content['application/json'].examples.rotated.value;
    expect(after.signedPreKey).toEqual(next);
    expect(signedPreKeyProblem(bundles[after.id]![1]!.identityKey, next)).toBeUndefined();
    expect(next.keyId).toBeGreaterThan(bundles[after.id]![1]!.signedPreKey.keyId);
  });

  it('the schema-level examples (IdentityKey, SignedPreKey) belong together and verify', () => {
    const schemas = spec.components.schemas;
    const spk = { keyId: schemas.SignedPreKey.properties.keyId.example, publicKey: schemas.SignedPreKey.properties.publicKey.example, signature: schemas.SignedPreKey.properties.signature.example };
    expect(signedPreKeyProblem(schemas.IdentityKey.example, spk)).toBeUndefined();
  });

  it("the mock's seeded devices verify", () => {
    const devices = defaultSeed().devices!;
    expect(devices.map((d) => d.id)).toEqual(['dev_a1', 'dev_b2', 'dev_BobPhone1', 'dev_BobLaptop1', 'dev_a1Xk93', 'dev_a4Tb20', 'dev_b2Lm47']);
    for (const d of devices) expect(signedPreKeyProblem(d.identityKey, d.signedPreKey), d.id).toBeUndefined();
  });

  it('the check fails on what is not real: a flipped signature byte, another key id, a key without its tag', () => {
    const { identityKey, signedPreKey } = bundles.dev_a1![1]!;
    const sig = Buffer.from(signedPreKey.signature, 'base64');
    sig[10]! ^= 1;
    expect(signedPreKeyProblem(identityKey, { ...signedPreKey, signature: sig.toString('base64') })).toMatch(/^signedPreKey.signature does not verify/);
    expect(signedPreKeyProblem(identityKey, { ...signedPreKey, keyId: 2 })).toMatch(/^signedPreKey.signature does not verify/);
    const untagged = Buffer.from(identityKey, 'base64');
    untagged[0] = 0x05;
    expect(signedPreKeyProblem(untagged.toString('base64'), signedPreKey)).toBe('identityKey must start with the tag byte 0xed, not 0x05');
  });
});
