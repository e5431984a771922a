// RFC 9180 known-answer vectors through the HPKE library the e2e entry uses (@hpke/core, the
// WebCrypto X25519 path): A.1.1 and A.2.1 (values from the RFC's appendix), and the vector file
// that Debian ships in golang-github-cloudflare-circl-dev (draft-08 vectors with the final labels,
// every X25519/HKDF-SHA256 set in all four modes). .ci/run installs that package. Then the same
// vectors (those of the suite the e2e entry uses) through hpke-js as the package's e2e build
// bundles it: the modules tsup.config.ts's hpkeModules picks, minified, not the packages' fronts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Aes128Gcm, Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, ExportOnly, HkdfSha256 } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { hpkeModules } from '../../tsup.config.js';

const CIRCL_VECTORS = '/usr/share/gocode/src/github.com/cloudflare/circl/hpke/testdata/vectors_v08_779d028.json';
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const aeads = { 1: Aes128Gcm, 2: Aes256Gcm, 3: Chacha20Poly1305, 65535: ExportOnly } as const;

interface Vector {
  mode: number;
  aead_id: keyof typeof aeads;
  info: string;
  ikmR: string;
  ikmE: string;
  ikmS?: string;
  pkRm: string;
  enc: string;
  psk?: string;
  psk_id?: string;
  encryptions: { aad: string; ct: string; pt: string; seq?: number }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}

interface CirclEncryption {
  aad: string;
  plaintext: string;
  ciphertext: string;
}

/** The classes a vector runs with: @hpke/core's front, or the e2e build's bundle of it. */
interface Hpke {
  CipherSuite: typeof CipherSuite;
  DhkemX25519HkdfSha256: typeof DhkemX25519HkdfSha256;
  HkdfSha256: typeof HkdfSha256;
  aeads: Partial<Record<Vector['aead_id'], new () => Aes128Gcm>>;
}
const installed: Hpke = { CipherSuite, DhkemX25519HkdfSha256, HkdfSha256, aeads };

/** Runs one vector both ways; returns how many values were checked. */
async function check(v: Vector, hpke: Hpke = installed): Promise<number> {
  const suite = new hpke.CipherSuite({ kem: new hpke.DhkemX25519HkdfSha256(), kdf: new hpke.HkdfSha256(), aead: new hpke.aeads[v.aead_id]!() });
  const recipient = await suite.kem.deriveKeyPair(fromHex(v.ikmR).buffer);
  let checked = 0;
  expect(toHex(await suite.kem.serializePublicKey(recipient.publicKey))).toBe(v.pkRm);
  checked++;
  const psk = v.psk ? { psk: { key: fromHex(v.psk).buffer, id: fromHex(v.psk_id!).buffer } } : {};
  const sender = v.ikmS ? await suite.kem.deriveKeyPair(fromHex(v.ikmS).buffer) : undefined;
  const sealer = await suite.createSenderContext({
    recipientPublicKey: recipient.publicKey,
    info: fromHex(v.info).buffer,
    ekm: fromHex(v.ikmE).buffer,
    ...psk,
    ...(sender ? { senderKey: sender } : {}),
  });
  expect(toHex(sealer.enc)).toBe(v.enc);
  checked++;
  const opener = await suite.createRecipientContext({
    recipientKey: recipient,
    enc: fromHex(v.enc).buffer,
    info: fromHex(v.info).buffer,
    ...psk,
    ...(sender ? { senderPublicKey: sender.publicKey } : {}),
  });
  // Sequence numbers advance with each call: the vectors list them in order (A.1.1 skips some).
  let seq = 0;
  for (const e of v.encryptions) {
    for (; seq < (e.seq ?? seq); seq++) await opener.open(await sealer.seal(new ArrayBuffer(1)));
    expect(toHex(await sealer.seal(fromHex(e.pt).buffer, fromHex(e.aad).buffer))).toBe(e.ct);
    expect(toHex(await opener.open(fromHex(e.ct).buffer, fromHex(e.aad).buffer))).toBe(e.pt);
    checked += 2;
    seq++;
  }
  for (const x of v.exports) {
    expect(toHex(await sealer.export(fromHex(x.exporter_context).buffer, x.L))).toBe(x.exported_value);
    expect(toHex(await opener.export(fromHex(x.exporter_context).buffer, x.L))).toBe(x.exported_value);
    checked += 2;
  }
  return checked;
}

const A_1_1: Vector = {
  mode: 0,
  aead_id: 1,
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  encryptions: (
    [
      [0, 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a'],
      [1, 'af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84'],
      [2, '498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180'],
      [4, '583bd32bc67a5994bb8ceaca813d369bca7b2a42408cddef5e22f880b631215a09fc0012bc69fccaa251c0246d'],
      [255, '7175db9717964058640a3a11fb9007941a5d1757fda1a6935c805c21af32505bf106deefec4a49ac38d71c9e0a'],
      [256, '957f9800542b0b8891badb026d79cc54597cb2d225b54c00c5238c25d05c30e3fbeda97d2e0e1aba483a2df9f2'],
    ] as const
  ).map(([seq, ct]) => ({ seq, ct, pt: '4265617574792069732074727574682c20747275746820626561757479', aad: toHex(new TextEncoder().encode(`Count-${seq}`)) })),
  exports: [
    ['', '3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee'],
    ['00', '2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5'],
    ['54657374436f6e74657874', 'e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931'],
  ].map(([exporter_context, exported_value]) => ({ exporter_context: exporter_context!, exported_value: exported_value!, L: 32 })),
};

const A_2_1: Vector = {
  mode: 0,
  aead_id: 3,
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b',
  ikmR: '1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df',
  pkRm: '4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a',
  enc: '1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a',
  encryptions: [
    '1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28',
    '6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c',
    '71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b',
  ].map((ct, seq) => ({ seq, ct, pt: '4265617574792069732074727574682c20747275746820626561757479', aad: toHex(new TextEncoder().encode(`Count-${seq}`)) })),
  exports: [],
};

/** The CIRCL file's X25519/HKDF-SHA256 sets; it names an encryption's fields `plaintext` and `ciphertext`. */
function circlSets(): Vector[] {
  expect(existsSync(CIRCL_VECTORS), `${CIRCL_VECTORS} is missing: apt-get install golang-github-cloudflare-circl-dev (.ci/run does)`).toBe(true);
  const all = JSON.parse(readFileSync(CIRCL_VECTORS, 'utf8')) as (Vector & { kem_id: number; kdf_id: number })[];
  return all
    .filter((v) => v.kem_id === 0x20 && v.kdf_id === 1)
    .map((v) => ({ ...v, encryptions: (v.encryptions as unknown as CirclEncryption[]).map((e) => ({ aad: e.aad, pt: e.plaintext, ct: e.ciphertext })) }));
}

/** hpke-js as the e2e build has it: suite.ts's import of @hpke/core, bundled by the build's plugin, minified. */
async function bundled(): Promise<Hpke> {
  const { outputFiles } = await build({
    stdin: { contents: "export { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    write: false,
    plugins: [hpkeModules],
  });
  const dir = join(process.cwd(), 'test-output', 'hpke-bundle');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `suite-${process.pid}.mjs`);
  writeFileSync(file, outputFiles[0]!.text);
  const lib = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Omit<Hpke, 'aeads'> & { Aes128Gcm: Hpke['aeads'][1] };
  return { ...lib, aeads: { 1: lib.Aes128Gcm } };
}

describe('HPKE known answers through @hpke/core', () => {
  it('RFC 9180 A.1.1 (X25519, HKDF-SHA256, AES-128-GCM, base): key, enc, 6 seals and opens, 3 exports both sides', async () => {
    expect(await check(A_1_1)).toBe(2 + 12 + 6);
  });

  it('RFC 9180 A.2.1 (X25519, HKDF-SHA256, ChaCha20-Poly1305, base): key, enc, 3 seals and opens', async () => {
    expect(await check(A_2_1)).toBe(2 + 6);
  });

  it("the vector file of Debian's golang-github-cloudflare-circl-dev: every X25519/HKDF-SHA256 set, all modes and AEADs", async () => {
    const ours = circlSets();
    let checked = 0;
    for (const v of ours) checked += await check(v);
    console.log(`CIRCL vectors: ${ours.length} sets, ${checked} values checked`);
    expect(ours.length).toBe(16);
    expect(checked).toBe(12 * (2 + 257 * 2 + 6) + 4 * (2 + 6));
  }, 120_000);
});

describe("HPKE known answers through the e2e build's bundle of hpke-js", () => {
  it('RFC 9180 A.1.1 and every CIRCL set of the suite it carries (AES-128-GCM, all four modes)', async () => {
    const hpke = await bundled();
    expect(hpke.CipherSuite).not.toBe(CipherSuite); // its own copy, not the installed front's
    expect(await check(A_1_1, hpke)).toBe(2 + 12 + 6);
    const sets = circlSets().filter((v) => v.aead_id === 1);
    let checked = 0;
    for (const v of sets) checked += await check(v, hpke);
    expect(sets.map((v) => v.mode)).toEqual([0, 1, 2, 3]);
    expect(checked).toBe(4 * (2 + 257 * 2 + 6));
  }, 120_000);
});
