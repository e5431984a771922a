// A leading UTF-8 byte-order mark is treated alike whether the body arrives as a string (with or
// without the mark, depending on how it was decoded) or as bytes: the same signature verifies
// and the same event comes out. Signed here with node:crypto, independent of the SDK's signer.
import { describe, expect, it } from 'vitest';
import { constructEvent, verifySignature } from '../../src/webhooks/index.js';
import { at, expectReason, nodeHeader } from './helpers.js';

const SECRET = 'whsec_bom_test_8f2a';
const T = 1_780_306_200;
const now = at(T);
const json = JSON.stringify({ id: 'evt_1', type: 'api_key.revoked', created: T, data: { id: 'key_1' } });
const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
const utf8 = new TextEncoder().encode(json);
const withBom = new Uint8Array([...bom, ...utf8]);

/** Every way a caller may hold the same delivery. */
function spellings(bytes: Uint8Array) {
  return {
    bytes,
    buffer: Buffer.from(bytes),
    arrayBuffer: bytes.slice().buffer,
    'string, mark kept': new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
    'string, mark dropped (request.text())': new TextDecoder().decode(bytes),
  };
}

describe('webhook bodies with a leading byte-order mark', () => {
  for (const [signedOver, signed] of [['a body with a BOM', withBom], ['a body without one', utf8]] as const) {
    it(`a signature over ${signedOver} verifies, and parses to the same event, for strings and bytes alike`, async () => {
      const header = nodeHeader(SECRET, T, signed);
      for (const [name, payload] of [...Object.entries(spellings(withBom)), ...Object.entries(spellings(utf8))]) {
        await expect(verifySignature(payload, header, SECRET, { now }), name).resolves.toBe(T);
        const event = await constructEvent(payload, header, SECRET, { now });
        expect(event, name).toEqual(JSON.parse(json));
      }
    });
  }

  it('a BOM anywhere but the start, or two of them, still changes the body', async () => {
    const header = nodeHeader(SECRET, T, withBom);
    await expectReason(verifySignature(`\uFEFF\uFEFF${json}`, header, SECRET, { now }), 'no_matching_signature');
    await expectReason(verifySignature(`${json}\uFEFF`, header, SECRET, { now }), 'no_matching_signature');
    await expectReason(verifySignature(`${json} `, nodeHeader(SECRET, T, utf8), SECRET, { now }), 'no_matching_signature');
  });
});
