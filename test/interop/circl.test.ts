// Interop with an independent HPKE implementation: Cloudflare CIRCL (Go, from Debian's
// golang-go and golang-github-cloudflare-circl-dev, which .ci/run installs). The test builds
// circl-peer.go in a temporary folder; CIRCL opens envelopes the SDK sealed (and gets each
// message's content key), and seals envelopes that the SDK opens as whole messages.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, hex, type Bytes } from '../../src/e2e/bytes.js';
import { aad, info } from '../../src/e2e/envelope.js';
import { generateIdentity, keyPairFromSeed, sign, verify } from '../../src/e2e/keys.js';
import { openMessage, sealMessage, sha256 } from '../../src/e2e/message.js';
import { E2EError } from '../../src/e2e/errors.js';

const ROUNDS = 20;
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16)) as Bytes;
let dir = '';
let peer = '';

interface Request {
  op: 'open' | 'seal';
  sk?: string;
  pk?: string;
  enc?: string;
  ct?: string;
  pt?: string;
  info: string;
  aad: string;
}
const ask = (requests: Request[]): { pt?: string; enc?: string; ct?: string; error?: string }[] =>
  JSON.parse(execFileSync(peer, { input: JSON.stringify(requests), encoding: 'utf8', timeout: 60_000 }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coveton-circl-'));
  copyFileSync(fileURLToPath(new URL('circl-peer.go', import.meta.url)), join(dir, 'main.go'));
  peer = join(dir, 'peer');
  // Debian's Go and CIRCL, no module download: GOPATH mode over Debian's gocode tree.
  execFileSync('go', ['build', '-o', peer, 'main.go'], {
    cwd: dir,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(dir, 'cache'), GOFLAGS: '' },
    stdio: 'pipe',
    timeout: 180_000,
  });
}, 200_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setting(i: number) {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const recipient = await keyPairFromSeed('X25519', seed);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', recipient.publicKey));
  const ada = await generateIdentity();
  const deviceId = `dev_r${i}`;
  const key = crypto.getRandomValues(new Uint8Array(32));
  const sealed = await sealMessage({
    chatId: 'chat_interop',
    contentType: 'text/plain',
    senderDeviceId: 'dev_ada',
    sign: (d) => sign(ada.privateKey, d),
    recipients: [{ deviceId, keyId: 1, publicKey: recipient.publicKey }],
    inner: { body: new TextEncoder().encode(`message ${i}`), sentAt: 1_760_000_000_000, recipients: [], files: [] },
    fixed: { key, msgId: crypto.getRandomValues(new Uint8Array(16)), nonce: crypto.getRandomValues(new Uint8Array(12)), ekm: [] },
  });
  const hash = await sha256(sealed.ciphertext);
  const head = sealed.envelopes[0]!.header.subarray(0, 7);
  return { seed, recipient, raw, ada, deviceId, key, sealed, hash, head };
}

describe('HPKE interop with Cloudflare CIRCL (Go)', () => {
  it(`CIRCL opens ${ROUNDS} envelopes the SDK sealed and gets each content key; it refuses 3 tampered ones`, async () => {
    const cases = await Promise.all(Array.from({ length: ROUNDS }, (_, i) => setting(i)));
    const open = (c: (typeof cases)[number], over: Partial<Request> = {}): Request => {
      const header = c.sealed.envelopes[0]!.header;
      return { op: 'open', sk: hex(c.seed), enc: hex(header.subarray(7, 39)), ct: hex(header.subarray(39)), info: hex(info()), aad: hex(aad(c.head, c.hash, c.deviceId)), ...over };
    };
    const c0 = cases[0]!;
    const answers = ask([
      ...cases.map((c) => open(c)),
      open(c0, { aad: hex(aad(c0.head, c0.hash, 'dev_other')) }), // moved to another device
      open(c0, { info: hex(concat(info().subarray(0, -1), new Uint8Array([2]))) }), // another suite
      open(c0, { sk: hex(cases[1]!.seed) }), // another device's key
    ]);
    expect(answers.slice(0, ROUNDS).map((a) => a.pt)).toEqual(cases.map((c) => hex(c.key)));
    expect(answers.slice(ROUNDS).map((a) => typeof a.error)).toEqual(['string', 'string', 'string']);
  }, 120_000);

  it(`the SDK opens ${ROUNDS} whole messages whose envelopes CIRCL sealed; one with a wrong aad is decrypt_failed`, async () => {
    const cases = await Promise.all(Array.from({ length: ROUNDS }, (_, i) => setting(i)));
    const seal = (c: (typeof cases)[number], deviceId = c.deviceId): Request => ({ op: 'seal', pk: hex(c.raw), pt: hex(c.key), info: hex(info()), aad: hex(aad(c.head, c.hash, deviceId)) });
    const answers = ask([...cases.map((c) => seal(c)), seal(cases[0]!, 'dev_other')]);
    const opened = await Promise.all(
      cases.map(async (c, i) => {
        const header = concat(c.head, fromHex(answers[i]!.enc!), fromHex(answers[i]!.ct!));
        const { inner } = await openMessage({
          chatId: 'chat_interop',
          contentType: 'text/plain',
          senderDeviceId: 'dev_ada',
          ciphertext: c.sealed.ciphertext,
          header,
          deviceId: c.deviceId,
          preKey: c.recipient,
          verify: (s, d) => verify(c.ada.publicKey, s, d),
        });
        return new TextDecoder().decode(inner.body);
      }),
    );
    expect(opened).toEqual(cases.map((_, i) => `message ${i}`));
    const c = cases[0]!;
    const wrong = answers[ROUNDS]!;
    const attempt = openMessage({
      chatId: 'chat_interop',
      contentType: 'text/plain',
      senderDeviceId: 'dev_ada',
      ciphertext: c.sealed.ciphertext,
      header: concat(c.head, fromHex(wrong.enc!), fromHex(wrong.ct!)),
      deviceId: c.deviceId,
      preKey: c.recipient,
      verify: (s, d) => verify(c.ada.publicKey, s, d),
    });
    await expect(attempt).rejects.toBeInstanceOf(E2EError);
    await expect(attempt).rejects.toMatchObject({ code: 'decrypt_failed' });
  }, 120_000);
});
